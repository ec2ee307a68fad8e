import { beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { openBulkSql } from "@haki/db/bulk";
import { newId } from "@/server/lib/ids";
import { describeRule, ruleToSql, ruleToWhere, type EligibilityRule } from "./eligibility-rule";
import { useTestContext } from "@/test/suite";

// Every operator on every field, with NULLs in the data (a registry leaves fields empty).
const RULES: { rule: EligibilityRule; area?: string }[] = [
  { rule: { all: [] } },
  { rule: { all: [] }, area: "KE-047" },
  { rule: { all: [{ field: "householdSize", op: "gte", value: 5 }] } },
  { rule: { all: [{ field: "householdSize", op: "neq", value: 3 }] } },
  { rule: { all: [{ field: "householdSize", op: "eq", value: 3 }] }, area: "KE-022" },
  { rule: { all: [{ field: "povertyScore", op: "lt", value: 30 }, { field: "povertyScore", op: "gt", value: 0 }] } },
  { rule: { all: [{ field: "povertyScore", op: "lte", value: 21.5 }] } },
  { rule: { all: [{ field: "area", op: "in", value: ["KE-047", "KE-001"] }] } },
  { rule: { all: [{ field: "area", op: "neq", value: "KE-047" }] } },
  { rule: { all: [{ field: "area", op: "eq", value: "KE-001" }, { field: "householdSize", op: "lt", value: 4 }] } },
];

describe.each(testProviders())("eligibility rules as SQL select what Prisma selects, on %s", (provider) => {
  const t = useTestContext(provider);
  beforeAll(async () => {
    await t.ctx.db.registrySource.create({ data: { id: "s", name: "s", mapping: "{}" } });
    const areas = ["KE-047", "KE-022", "KE-001", null];
    const sizes = [1, 3, 5, 8, null];
    const scores = [-3, 0, 10, 21.5, 30, 55.25, null];
    const enrolments = ["active", "active", "active", "deceased", "exited", "suspended"];
    await t.ctx.db.beneficiary.createMany({
      data: Array.from({ length: 420 }, (_, i) => ({
        id: newId(),
        ref: `HK-R${String(i).padStart(8, "0")}`,
        sourceId: "s",
        registryIdHash: `h${i}`,
        rowHash: "r",
        area: areas[i % areas.length]!,
        householdSize: sizes[i % sizes.length]!,
        povertyScore: scores[i % scores.length]!,
        enrolment: enrolments[i % enrolments.length]!,
      })),
    });
  }, 60_000);

  it.each(RULES.map((r) => [`${describeRule(r.rule)}${r.area ? ` in ${r.area}` : ""}`, r] as const))("%s", async (_, { rule, area }) => {
    const viaPrisma = (await t.ctx.db.beneficiary.findMany({ where: ruleToWhere(rule, area), select: { id: true } })).map((b) => b.id).sort();
    const bulk = openBulkSql(t.ctx.env.DATABASE_URL);
    try {
      const p = bulk.params();
      const where = ruleToSql(rule, area, p.add);
      const rows = await bulk.query<{ id: string }>(`SELECT b."id" FROM "Beneficiary" b WHERE ${where}`, p.values);
      expect(rows.map((r) => r.id).sort()).toEqual(viaPrisma);
      expect(viaPrisma.length).toBeGreaterThan(0);
    } finally {
      await bulk.close();
    }
  });
});
