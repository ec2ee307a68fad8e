-- CreateTable
CREATE TABLE "ServicePoint" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "area" TEXT,
    "programmes" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "Device" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "servicePointId" TEXT NOT NULL,
    "publicJwk" TEXT NOT NULL,
    "label" TEXT,
    "enrolledAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" DATETIME,
    CONSTRAINT "Device_servicePointId_fkey" FOREIGN KEY ("servicePointId") REFERENCES "ServicePoint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "EnrolmentCode" (
    "codeHash" TEXT NOT NULL PRIMARY KEY,
    "servicePointId" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EnrolmentCode_servicePointId_fkey" FOREIGN KEY ("servicePointId") REFERENCES "ServicePoint" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Receipt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "entitlementKey" TEXT NOT NULL,
    "entitlementId" TEXT,
    "cycleId" TEXT,
    "programme" TEXT NOT NULL,
    "cycleCode" TEXT NOT NULL,
    "credentialId" TEXT,
    "beneficiaryRef" TEXT NOT NULL,
    "servicePoint" TEXT NOT NULL,
    "device" TEXT NOT NULL,
    "amount" TEXT,
    "quantity" TEXT,
    "redeemedAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "visualCheck" BOOLEAN NOT NULL DEFAULT false,
    "jws" TEXT NOT NULL,
    "doubleRedemption" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Receipt_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Receipt" ("amount", "beneficiaryRef", "credentialId", "cycleId", "device", "doubleRedemption", "entitlementId", "id", "jws", "quantity", "receivedAt", "redeemedAt", "servicePoint") SELECT "amount", "beneficiaryRef", "credentialId", "cycleId", "device", "doubleRedemption", "entitlementId", "id", "jws", "quantity", "receivedAt", "redeemedAt", "servicePoint" FROM "Receipt";
DROP TABLE "Receipt";
ALTER TABLE "new_Receipt" RENAME TO "Receipt";
CREATE INDEX "Receipt_cycleId_servicePoint_idx" ON "Receipt"("cycleId", "servicePoint");
CREATE INDEX "Receipt_entitlementId_idx" ON "Receipt"("entitlementId");
CREATE INDEX "Receipt_entitlementKey_idx" ON "Receipt"("entitlementKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Device_servicePointId_idx" ON "Device"("servicePointId");


-- Trust bundle sequence numbers (strictly increasing, as verifiers require).
INSERT INTO "Counter" ("name", "value") VALUES ('trust-bundle', 0);
