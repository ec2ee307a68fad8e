-- Issue 17 phase 2: the credential format per cycle (cycles from before are VC 1.1), wallet
-- notifications and batch counts on offers, the Token Status List beside the Bitstring lists, and
-- the shared rate-limit windows. ADD COLUMN instead of Prisma's table copy: Offer and Cycle keep
-- their rows in place, however many there are.

-- CreateTable
CREATE TABLE "StatusListToken" (
    "list" INTEGER NOT NULL PRIMARY KEY,
    "revocationVersion" INTEGER NOT NULL,
    "suspensionVersion" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "RateLimitWindow" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "windowEndsAt" DATETIME NOT NULL,
    "count" INTEGER NOT NULL
);

-- AlterTable
ALTER TABLE "Cycle" ADD COLUMN "credentialFormat" TEXT NOT NULL DEFAULT 'vc1';

-- AlterTable
ALTER TABLE "Offer" ADD COLUMN "credentialCount" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "Offer" ADD COLUMN "notificationIdHash" TEXT;
ALTER TABLE "Offer" ADD COLUMN "walletEvent" TEXT;
ALTER TABLE "Offer" ADD COLUMN "walletEventAt" DATETIME;

-- CreateIndex
CREATE UNIQUE INDEX "Offer_notificationIdHash_key" ON "Offer"("notificationIdHash");

-- CreateIndex
CREATE INDEX "RateLimitWindow_windowEndsAt_idx" ON "RateLimitWindow"("windowEndsAt");
