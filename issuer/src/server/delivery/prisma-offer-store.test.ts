import { afterAll } from "vitest";
import { offerStoreConformance } from "@haki/openid4vci/testing";
import { testProviders } from "@haki/db/testing";
import { createTestContext, type TestContext } from "@/test/context";
import { newId } from "@/server/lib/ids";
import { createPrismaOfferStore } from "./prisma-offer-store";
import { deliverySql } from "./delivery-sql";

// The conformance suite names offers "ent-*": in this store an offer's id is its entitlement's id,
// so each fresh store gets a fresh database with those entitlements in place.
const IDS = ["ent-1", "ent-2", "ent-race", "ent-dup", "ent-other", "ent-exp", "ent-pin", "ent-pin2", "ent-tok", "ent-lock", "ent-n"];

for (const [provider, direct] of testProviders().flatMap((p) => [[p, false], [p, true]] as const)) {
  const opened: TestContext[] = [];
  afterAll(async () => {
    for (const t of opened) await t.close();
  });
  offerStoreConformance(
    async () => {
      const t = await createTestContext(provider);
      opened.push(t);
      const { db } = t.ctx;
      await db.registrySource.create({ data: { id: "s", name: "s", mapping: "{}" } });
      await db.programme.create({ data: { id: "p", code: "p", name: "P", benefitType: "cash", currency: "KES", createdBy: "u" } });
      await db.cycle.create({ data: { id: "c", programmeId: "p", code: "c", validFrom: new Date(0), validUntil: new Date(1e12), amount: "1", rule: "{}", preparedBy: "u" } });
      for (const [i, id] of IDS.entries()) {
        const b = newId();
        await db.beneficiary.create({ data: { id: b, ref: `HK-OFFER${i}00`, sourceId: "s", registryIdHash: `h${i}`, rowHash: "r" } });
        await db.entitlement.create({ data: { id, cycleId: "c", beneficiaryId: b, statusList: 1, statusIndex: i, status: "issued" } });
      }
      return createPrismaOfferStore(db, direct ? { bulk: deliverySql(t.ctx) } : {});
    },
    { name: `prisma${direct ? " with the direct driver for credential requests" : ""} on ${provider}` },
  );
}
