-- CreateTable
CREATE TABLE "Nonce" (
    "hash" TEXT NOT NULL PRIMARY KEY,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Offer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "entitlementId" TEXT NOT NULL,
    "credentialConfigurationId" TEXT NOT NULL DEFAULT 'EntitlementCredential_jwt_vc_json',
    "codeHash" TEXT NOT NULL,
    "txCodeHash" TEXT,
    "txCodeAttempts" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" DATETIME NOT NULL,
    "redeemedAt" DATETIME,
    "accessTokenHash" TEXT,
    "accessTokenExpiresAt" DATETIME,
    "accessTokenUsedAt" DATETIME,
    "holderDid" TEXT,
    "credentialIssuedAt" DATETIME,
    "createdBy" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Offer_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Offer" ("accessTokenExpiresAt", "accessTokenHash", "codeHash", "createdAt", "createdBy", "credentialIssuedAt", "entitlementId", "expiresAt", "id", "redeemedAt", "txCodeAttempts", "txCodeHash") SELECT "accessTokenExpiresAt", "accessTokenHash", "codeHash", "createdAt", "createdBy", "credentialIssuedAt", "entitlementId", "expiresAt", "id", "redeemedAt", "txCodeAttempts", "txCodeHash" FROM "Offer";
DROP TABLE "Offer";
ALTER TABLE "new_Offer" RENAME TO "Offer";
CREATE UNIQUE INDEX "Offer_codeHash_key" ON "Offer"("codeHash");
CREATE UNIQUE INDEX "Offer_accessTokenHash_key" ON "Offer"("accessTokenHash");
CREATE INDEX "Offer_entitlementId_idx" ON "Offer"("entitlementId");
CREATE INDEX "Offer_expiresAt_idx" ON "Offer"("expiresAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Nonce_expiresAt_idx" ON "Nonce"("expiresAt");

