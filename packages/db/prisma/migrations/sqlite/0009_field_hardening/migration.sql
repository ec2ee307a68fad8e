-- Field hardening (issue 12): keyed audit chain, user lifecycle, device revocation and last seen,
-- distrusted issuer keys, the sign-in throttle, and the trust bundle signed once per change.
-- Written by hand as ADD COLUMNs: Prisma's diff redefines "User" and "AuditEvent" (copy and drop),
-- and dropping "AuditEvent" would drop its append-only triggers (migration 0002).

-- Existing events keep the unkeyed SHA-256 chain ('sha256'); every new one is keyed. The issuer's
-- migrate step appends one keyed event after them, whose MAC covers the last legacy hash.
ALTER TABLE "AuditEvent" ADD COLUMN "alg" TEXT NOT NULL DEFAULT 'sha256';

ALTER TABLE "User" ADD COLUMN "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE "IssuerKey" ADD COLUMN "distrustReason" TEXT;
ALTER TABLE "IssuerKey" ADD COLUMN "distrustedAt" DATETIME;

ALTER TABLE "Device" ADD COLUMN "lastSeenAt" DATETIME;
ALTER TABLE "Device" ADD COLUMN "revokeReason" TEXT;

CREATE TABLE "LoginThrottle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "lockedUntil" DATETIME,
    "lastFailureAt" DATETIME NOT NULL
);
CREATE INDEX "LoginThrottle_lastFailureAt_idx" ON "LoginThrottle"("lastFailureAt");

CREATE TABLE "SignedDocument" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "digest" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "jws" TEXT NOT NULL,
    "signedAt" DATETIME NOT NULL
);

ALTER TABLE "ServicePoint" ADD COLUMN "disabledAt" DATETIME;
