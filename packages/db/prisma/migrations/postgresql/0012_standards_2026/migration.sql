-- Issue 17 phase 2: the credential format per cycle (cycles from before are VC 1.1), wallet
-- notifications and batch counts on offers, the Token Status List beside the Bitstring lists, and
-- the shared rate-limit windows.

-- AlterTable
ALTER TABLE "Cycle" ADD COLUMN     "credentialFormat" TEXT NOT NULL DEFAULT 'vc1';

-- AlterTable
ALTER TABLE "Offer" ADD COLUMN     "credentialCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "notificationIdHash" TEXT,
ADD COLUMN     "walletEvent" TEXT,
ADD COLUMN     "walletEventAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "StatusListToken" (
    "list" INTEGER NOT NULL,
    "revocationVersion" INTEGER NOT NULL,
    "suspensionVersion" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StatusListToken_pkey" PRIMARY KEY ("list")
);

-- CreateTable
CREATE TABLE "RateLimitWindow" (
    "key" TEXT NOT NULL,
    "windowEndsAt" TIMESTAMP(3) NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "RateLimitWindow_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "RateLimitWindow_windowEndsAt_idx" ON "RateLimitWindow"("windowEndsAt");

-- CreateIndex
CREATE UNIQUE INDEX "Offer_notificationIdHash_key" ON "Offer"("notificationIdHash");

