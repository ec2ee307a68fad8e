-- The console at a national programme's size (issue 15): whether an entitlement was redeemed is
-- stored on it, kept by triggers on Receipt, so the cycle page's "redeemed or not" filter walks an
-- index instead of probing Receipt for each of a million entitlements.

-- AlterTable
ALTER TABLE "Entitlement" ADD COLUMN     "redeemed" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Entitlement_cycleId_redeemed_id_idx" ON "Entitlement"("cycleId", "redeemed", "id");

-- The receipts stored before this migration.
UPDATE "Entitlement" e SET "redeemed" = true WHERE EXISTS (SELECT 1 FROM "Receipt" r WHERE r."entitlementId" = e."id");

CREATE FUNCTION haki_entitlement_redeemed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW."entitlementId" IS NOT NULL THEN
      UPDATE "Entitlement" SET "redeemed" = true WHERE "id" = NEW."entitlementId" AND NOT "redeemed";
    END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."entitlementId" IS NOT DISTINCT FROM OLD."entitlementId" THEN
    RETURN NEW;
  END IF;
  UPDATE "Entitlement" e SET "redeemed" = EXISTS (SELECT 1 FROM "Receipt" r WHERE r."entitlementId" = e."id")
    WHERE e."id" = OLD."entitlementId" OR (TG_OP = 'UPDATE' AND e."id" = NEW."entitlementId");
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Receipt_entitlement_redeemed" AFTER INSERT OR UPDATE OF "entitlementId" OR DELETE ON "Receipt"
  FOR EACH ROW EXECUTE FUNCTION haki_entitlement_redeemed();
