-- Field hardening (issue 12): keyed audit chain (existing events stay 'sha256'), user lifecycle,
-- device revocation and last seen, distrusted issuer keys, the sign-in throttle, the trust bundle
-- signed once per change.
-- AlterTable
ALTER TABLE "User" ADD COLUMN     "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "alg" TEXT NOT NULL DEFAULT 'sha256';

-- AlterTable
ALTER TABLE "IssuerKey" ADD COLUMN     "distrustReason" TEXT,
ADD COLUMN     "distrustedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Device" ADD COLUMN     "lastSeenAt" TIMESTAMP(3),
ADD COLUMN     "revokeReason" TEXT;

-- CreateTable
CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" TIMESTAMP(3),
    "lastFailureAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LoginThrottle_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "SignedDocument" (
    "name" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "jws" TEXT NOT NULL,
    "signedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SignedDocument_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "LoginThrottle_lastFailureAt_idx" ON "LoginThrottle"("lastFailureAt");


-- AlterTable
ALTER TABLE "ServicePoint" ADD COLUMN     "disabledAt" TIMESTAMP(3);
