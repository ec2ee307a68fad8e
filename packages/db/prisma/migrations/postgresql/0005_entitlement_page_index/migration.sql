-- DropIndex
DROP INDEX "Entitlement_cycleId_status_idx";

-- CreateIndex
CREATE INDEX "Entitlement_cycleId_status_id_idx" ON "Entitlement"("cycleId", "status", "id");

