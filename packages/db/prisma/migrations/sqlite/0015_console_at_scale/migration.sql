-- The console at a national programme's size (issue 15): whether an entitlement was redeemed is
-- stored on it, kept by triggers on Receipt, so the cycle page's "redeemed or not" filter walks an
-- index instead of probing Receipt for each of a million entitlements.

-- AlterTable (a column with a constant default: no table rewrite)
ALTER TABLE "Entitlement" ADD COLUMN "redeemed" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "Entitlement_cycleId_redeemed_id_idx" ON "Entitlement"("cycleId", "redeemed", "id");

-- The receipts stored before this migration.
UPDATE "Entitlement" SET "redeemed" = true WHERE EXISTS (SELECT 1 FROM "Receipt" r WHERE r."entitlementId" = "Entitlement"."id");

CREATE TRIGGER "Receipt_entitlement_redeemed_insert" AFTER INSERT ON "Receipt"
WHEN NEW."entitlementId" IS NOT NULL
BEGIN
  UPDATE "Entitlement" SET "redeemed" = true WHERE "id" = NEW."entitlementId" AND "redeemed" = false;
END;

CREATE TRIGGER "Receipt_entitlement_redeemed_update" AFTER UPDATE OF "entitlementId" ON "Receipt"
WHEN NEW."entitlementId" IS NOT OLD."entitlementId"
BEGIN
  UPDATE "Entitlement" SET "redeemed" = EXISTS (SELECT 1 FROM "Receipt" r WHERE r."entitlementId" = "Entitlement"."id")
    WHERE "id" IN (OLD."entitlementId", NEW."entitlementId");
END;

CREATE TRIGGER "Receipt_entitlement_redeemed_delete" AFTER DELETE ON "Receipt"
WHEN OLD."entitlementId" IS NOT NULL
BEGIN
  UPDATE "Entitlement" SET "redeemed" = EXISTS (SELECT 1 FROM "Receipt" r WHERE r."entitlementId" = OLD."entitlementId")
    WHERE "id" = OLD."entitlementId";
END;
