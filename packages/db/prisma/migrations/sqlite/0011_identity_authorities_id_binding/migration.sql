-- AlterTable
ALTER TABLE "Beneficiary" ADD COLUMN "identityFacts" TEXT;

-- CreateTable
CREATE TABLE "IdentityAuthority" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "issuer" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kid" TEXT,
    "alg" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Programme" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "benefitType" TEXT NOT NULL,
    "currency" TEXT,
    "item" TEXT,
    "unit" TEXT,
    "description" TEXT,
    "area" TEXT,
    "redemption" TEXT NOT NULL DEFAULT 'single',
    "contact" TEXT,
    "idBinding" TEXT NOT NULL DEFAULT 'off',
    "bindingKey" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Programme" ("area", "benefitType", "code", "contact", "createdAt", "createdBy", "currency", "description", "id", "item", "name", "redemption", "unit") SELECT "area", "benefitType", "code", "contact", "createdAt", "createdBy", "currency", "description", "id", "item", "name", "redemption", "unit" FROM "Programme";
DROP TABLE "Programme";
ALTER TABLE "new_Programme" RENAME TO "Programme";
CREATE UNIQUE INDEX "Programme_code_key" ON "Programme"("code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "IdentityAuthority_issuer_idx" ON "IdentityAuthority"("issuer");

