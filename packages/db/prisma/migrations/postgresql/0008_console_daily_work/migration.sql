-- DropIndex
DROP INDEX "AuditEvent_action_idx";

-- DropIndex
DROP INDEX "AuditEvent_subject_idx";

-- AlterTable
ALTER TABLE "Beneficiary" ADD COLUMN     "searchName" TEXT;

-- AlterTable
ALTER TABLE "Cycle" ADD COLUMN     "frozenCount" INTEGER,
ADD COLUMN     "frozenDigest" TEXT,
ADD COLUMN     "frozenTotals" TEXT,
ADD COLUMN     "returnComment" TEXT,
ADD COLUMN     "returnedAt" TIMESTAMP(3),
ADD COLUMN     "returnedBy" TEXT,
ADD COLUMN     "submittedAt" TIMESTAMP(3),
ADD COLUMN     "submittedBy" TEXT,
ADD COLUMN     "topUpOf" TEXT;

-- AlterTable
ALTER TABLE "Entitlement" ADD COLUMN     "printedAt" TIMESTAMP(3),
ADD COLUMN     "replacedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Receipt" ADD COLUMN     "doubleResolution" TEXT,
ADD COLUMN     "doubleResolutionNote" TEXT,
ADD COLUMN     "doubleResolvedAt" TIMESTAMP(3),
ADD COLUMN     "doubleResolvedBy" TEXT;

-- CreateTable
CREATE TABLE "BeneficiaryNameToken" (
    "token" TEXT NOT NULL,
    "beneficiaryId" TEXT NOT NULL,

    CONSTRAINT "BeneficiaryNameToken_pkey" PRIMARY KEY ("token","beneficiaryId")
);

-- CreateTable
CREATE TABLE "CycleMember" (
    "cycleId" TEXT NOT NULL,
    "beneficiaryId" TEXT NOT NULL,

    CONSTRAINT "CycleMember_pkey" PRIMARY KEY ("cycleId","beneficiaryId")
);

-- CreateTable
CREATE TABLE "Grievance" (
    "id" TEXT NOT NULL,
    "beneficiaryId" TEXT NOT NULL,
    "entitlementId" TEXT,
    "kind" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "resolution" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedBy" TEXT,
    "resolvedAt" TIMESTAMP(3),

    CONSTRAINT "Grievance_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "CycleMember" ADD CONSTRAINT "CycleMember_cycleId_fkey" FOREIGN KEY ("cycleId") REFERENCES "Cycle"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grievance" ADD CONSTRAINT "Grievance_beneficiaryId_fkey" FOREIGN KEY ("beneficiaryId") REFERENCES "Beneficiary"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Grievance" ADD CONSTRAINT "Grievance_entitlementId_fkey" FOREIGN KEY ("entitlementId") REFERENCES "Entitlement"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Name search by word prefix (written by hand; Prisma's schema cannot say it): the issuer folds a
-- display name into "searchName" (words of letters and digits, one space apart) and this trigger
-- keeps one BeneficiaryNameToken row per word. Tokens compare byte-wise ("C" collation) whatever
-- the database's locale, so a word prefix is a plain index range on every server.
ALTER TABLE "BeneficiaryNameToken" ALTER COLUMN "token" TYPE TEXT COLLATE "C";

CREATE FUNCTION haki_beneficiary_name_tokens() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "BeneficiaryNameToken" WHERE "beneficiaryId" = OLD."id";
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF NEW."searchName" IS NOT DISTINCT FROM OLD."searchName" THEN
      RETURN NEW;
    END IF;
    DELETE FROM "BeneficiaryNameToken" WHERE "beneficiaryId" = OLD."id";
  END IF;
  IF NEW."searchName" IS NOT NULL THEN
    INSERT INTO "BeneficiaryNameToken" ("token", "beneficiaryId")
      SELECT DISTINCT t, NEW."id" FROM unnest(string_to_array(NEW."searchName", ' ')) AS t WHERE t <> ''
      ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Beneficiary_name_tokens" AFTER INSERT OR UPDATE OF "searchName" OR DELETE ON "Beneficiary"
  FOR EACH ROW EXECUTE FUNCTION haki_beneficiary_name_tokens();
