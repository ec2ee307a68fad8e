-- DropIndex
DROP INDEX "AuditEvent_action_idx";

-- DropIndex
DROP INDEX "AuditEvent_subject_idx";

-- AlterTable
ALTER TABLE "Beneficiary" ADD COLUMN "searchName" TEXT;

-- AlterTable
ALTER TABLE "Cycle" ADD COLUMN "frozenCount" INTEGER;
ALTER TABLE "Cycle" ADD COLUMN "frozenDigest" TEXT;
ALTER TABLE "Cycle" ADD COLUMN "frozenTotals" TEXT;
ALTER TABLE "Cycle" ADD COLUMN "returnComment" TEXT;
ALTER TABLE "Cycle" ADD COLUMN "returnedAt" DATETIME;
ALTER TABLE "Cycle" ADD COLUMN "returnedBy" TEXT;
ALTER TABLE "Cycle" ADD COLUMN "submittedAt" DATETIME;
ALTER TABLE "Cycle" ADD COLUMN "submittedBy" TEXT;
ALTER TABLE "Cycle" ADD COLUMN "topUpOf" TEXT;

-- AlterTable
ALTER TABLE "Entitlement" ADD COLUMN "printedAt" DATETIME;
ALTER TABLE "Entitlement" ADD COLUMN "replacedAt" DATETIME;

-- AlterTable
ALTER TABLE "Receipt" ADD COLUMN "doubleResolution" TEXT;
ALTER TABLE "Receipt" ADD COLUMN "doubleResolutionNote" TEXT;
ALTER TABLE "Receipt" ADD COLUMN "doubleResolvedAt" DATETIME;
ALTER TABLE "Receipt" ADD COLUMN "doubleResolvedBy" TEXT;

-- CreateTable
CREATE TABLE "BeneficiaryNameToken" (
    "token" TEXT NOT NULL,
    "beneficiaryId" TEXT NOT NULL,

    PRIMARY KEY ("token", "beneficiaryId")
);

-- CreateTable
CREATE TABLE "CycleMember" (
    "cycleId" TEXT NOT NULL,
    "beneficiaryId" TEXT NOT NULL,

    PRIMARY KEY ("cycleId", "beneficiaryId"),
    CONSTRAINT "CycleMember_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Grievance" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "beneficiaryId" TEXT NOT NULL,
    "entitlementId" TEXT,
    "kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolution" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedBy" TEXT,
    "resolvedAt" DATETIME,
    CONSTRAINT "Grievance_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Grievance_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "BeneficiaryNameToken_beneficiaryId_idx" ON "BeneficiaryNameToken"("beneficiaryId");

-- CreateIndex
CREATE INDEX "Grievance_status_createdAt_idx" ON "Grievance"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Grievance_category_status_createdAt_idx" ON "Grievance"("category", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Grievance_beneficiaryId_createdAt_idx" ON "Grievance"("beneficiaryId", "createdAt");

-- CreateIndex
CREATE INDEX "Grievance_createdAt_idx" ON "Grievance"("createdAt");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_seq_idx" ON "AuditEvent"("actorId", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_action_seq_idx" ON "AuditEvent"("action", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_subject_seq_idx" ON "AuditEvent"("subject", "seq");

-- CreateIndex
CREATE INDEX "AuditEvent_at_idx" ON "AuditEvent"("at");

-- CreateIndex
CREATE INDEX "Beneficiary_registryIdHash_idx" ON "Beneficiary"("registryIdHash");

-- CreateIndex
CREATE INDEX "Beneficiary_area_ref_idx" ON "Beneficiary"("area", "ref");

-- CreateIndex
CREATE INDEX "Entitlement_cycleId_id_idx" ON "Entitlement"("cycleId", "id");

-- CreateIndex
CREATE INDEX "Receipt_servicePoint_redeemedAt_id_idx" ON "Receipt"("servicePoint", "redeemedAt", "id");

-- CreateIndex
CREATE INDEX "Receipt_redeemedAt_id_idx" ON "Receipt"("redeemedAt", "id");

-- CreateIndex
CREATE INDEX "Receipt_device_receivedAt_idx" ON "Receipt"("device", "receivedAt");

-- CreateIndex
CREATE INDEX "Receipt_doubleRedemption_doubleResolution_idx" ON "Receipt"("doubleRedemption", "doubleResolution");


-- Name search by word prefix (written by hand; Prisma's schema cannot say it): the issuer folds a
-- display name into "searchName" (words of letters and digits, one space apart) and these triggers
-- keep one BeneficiaryNameToken row per word. The words are split with json_each (a common table
-- expression is not allowed in a trigger); quotes and backslashes are escaped although the folding
-- never leaves any.
CREATE TRIGGER "Beneficiary_name_tokens_insert" AFTER INSERT ON "Beneficiary"
WHEN NEW."searchName" IS NOT NULL AND NEW."searchName" <> ''
BEGIN
  INSERT OR IGNORE INTO "BeneficiaryNameToken" ("token", "beneficiaryId")
    SELECT "value", NEW."id" FROM json_each('["' || replace(replace(replace(NEW."searchName", '\', '\\'), '"', '\"'), ' ', '","') || '"]')
    WHERE "value" <> '';
END;

CREATE TRIGGER "Beneficiary_name_tokens_update" AFTER UPDATE OF "searchName" ON "Beneficiary"
WHEN NEW."searchName" IS NOT OLD."searchName"
BEGIN
  DELETE FROM "BeneficiaryNameToken" WHERE "beneficiaryId" = OLD."id";
  INSERT OR IGNORE INTO "BeneficiaryNameToken" ("token", "beneficiaryId")
    SELECT "value", NEW."id" FROM json_each('["' || replace(replace(replace(NEW."searchName", '\', '\\'), '"', '\"'), ' ', '","') || '"]')
    WHERE NEW."searchName" IS NOT NULL AND NEW."searchName" <> '' AND "value" <> '';
END;

CREATE TRIGGER "Beneficiary_name_tokens_delete" AFTER DELETE ON "Beneficiary"
BEGIN
  DELETE FROM "BeneficiaryNameToken" WHERE "beneficiaryId" = OLD."id";
END;
