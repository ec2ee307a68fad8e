-- Issue 12, relay: the hand-over feed reads one programme's receipts in the order they came in,
-- from a device's cursor (POST /api/verifier/hand-overs).

-- CreateIndex
CREATE INDEX "Receipt_programme_receivedAt_id_idx" ON "Receipt"("programme", "receivedAt", "id");

