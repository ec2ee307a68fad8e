/**
 * The frozen eligible set of a cycle (four eyes bind the list, not only the rule). Submitting a
 * cycle for approval writes who qualifies at that moment into `CycleMember` and records how many,
 * the totals the approver will see (by currency or unit, by area) and a digest of who: SHA-256
 * over their references, each followed by a newline, in beneficiary id order (the order of the
 * downloadable list, so an approver or auditor can recompute it from the file). Issuance then
 * gives entitlements to those members only (`issuance/eligible-page.ts`); someone who qualifies
 * later needs a top-up cycle and its own approval.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { openBulkSql } from "@haki/db/bulk";
import type { Cycle, Programme } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { readJsonColumn } from "@/server/lib/json-column";
import { multiplyDecimal } from "@/server/lib/decimal";
import { asNumber, queryRows, queryRowsInBackground, rowMapper } from "@/server/lib/sql";
import { EligibilityRule, ruleToSql } from "@/server/programmes/eligibility-rule";
import { PERSON_COLUMNS } from "@/server/beneficiaries/person-columns";

/** What the approver sees of a frozen set, kept on the cycle (`Cycle.frozenTotals`). */
export const FrozenTotals = z.object({
  count: z.number().int().min(0),
  /** money: an amount in `unit` (a currency code) per person; quantity: so many `unit` of an item. */
  kind: z.enum(["money", "quantity", "none"]),
  perPerson: z.string().nullable(),
  unit: z.string(),
  total: z.string(),
  byArea: z.array(z.object({ area: z.string().nullable(), count: z.number().int(), total: z.string() })),
});
export type FrozenTotals = z.infer<typeof FrozenTotals>;

/** Members read per page when walking a frozen set (digest, download). */
export const FROZEN_PAGE = 5000;

/** A member of a frozen set as the downloadable list shows them, from a raw row of the set joined with the beneficiary. */
const toMember = rowMapper({ beneficiaryId: "text", ...PERSON_COLUMNS, householdSize: "optionalNumber" });
export type FrozenMember = ReturnType<typeof toMember>;

type CycleWithProgramme = Cycle & { programme: Programme };

/** The value one person receives in a cycle: an amount of money, a quantity of an item, or nothing countable. */
export function valuePerPerson(cycle: Pick<Cycle, "amount" | "quantity">, programme: Pick<Programme, "benefitType" | "currency" | "unit">) {
  if (programme.benefitType === "inkind") return { kind: "quantity" as const, perPerson: cycle.quantity, unit: programme.unit ?? "" };
  if (cycle.amount) return { kind: "money" as const, perPerson: cycle.amount, unit: programme.currency ?? "" };
  return { kind: "none" as const, perPerson: null, unit: "" };
}

/** The SQL condition (alias `b`) of who qualifies for a cycle: its rule, the programme's area, and for a top-up nobody of the earlier cycle. */
function eligibleSql(cycle: CycleWithProgramme, add: (v: unknown) => string): string {
  const rule = readJsonColumn(EligibilityRule, cycle.rule, "Cycle.rule");
  const where = [ruleToSql(rule, cycle.programme.area, add)];
  if (cycle.topUpOf) {
    // Added once per use: SQLite's placeholders are positional.
    where.push(`NOT EXISTS (SELECT 1 FROM "CycleMember" pm WHERE pm."cycleId" = ${add(cycle.topUpOf)} AND pm."beneficiaryId" = b."id")`);
    where.push(`NOT EXISTS (SELECT 1 FROM "Entitlement" pe WHERE pe."cycleId" = ${add(cycle.topUpOf)} AND pe."beneficiaryId" = b."id")`);
  }
  return where.join(" AND ");
}

/**
 * How many people qualify for a cycle right now (the draft's live count; the same condition the
 * freeze uses).
 *
 * @example
 * await countQualifying(ctx, cycle); // 212
 */
export async function countQualifying(ctx: ServerContext, cycle: CycleWithProgramme): Promise<number> {
  const [row] = await queryRowsInBackground<{ n: unknown }>(ctx, (p) => `SELECT count(*) AS "n" FROM "Beneficiary" b WHERE ${eligibleSql(cycle, p.add)}`);
  return asNumber(row?.n);
}

/**
 * Writes who qualifies now into the cycle's frozen set (replacing any earlier one), in one
 * transaction of the bulk connection (a million rows is one INSERT ... SELECT).
 *
 * @example
 * await writeFrozenSet(ctx, cycle);
 */
export async function writeFrozenSet(ctx: ServerContext, cycle: CycleWithProgramme): Promise<void> {
  const bulk = openBulkSql(ctx.env.DATABASE_URL);
  try {
    const del = bulk.params();
    const ins = bulk.params();
    const id = ins.add(cycle.id);
    const where = eligibleSql(cycle, ins.add);
    await bulk.batch([
      { sql: `DELETE FROM "CycleMember" WHERE "cycleId" = ${del.add(cycle.id)}`, params: del.values },
      { sql: `INSERT INTO "CycleMember" ("cycleId", "beneficiaryId") SELECT ${id}, b."id" FROM "Beneficiary" b WHERE ${where}`, params: ins.values },
    ]);
  } finally {
    await bulk.close();
  }
}

/**
 * Empties a cycle's frozen set (a returned cycle is frozen again when it is submitted again).
 *
 * @example
 * await clearFrozenSet(ctx, cycleId);
 */
export async function clearFrozenSet(ctx: ServerContext, cycleId: string): Promise<void> {
  await ctx.db.cycleMember.deleteMany({ where: { cycleId } });
}

/**
 * The frozen set page by page, in beneficiary id order (each page read when the previous one was taken).
 *
 * @example
 * for await (const members of frozenSetPages(ctx, cycleId)) out.write(members.map((m) => m.ref).join("\n"));
 */
export async function* frozenSetPages(ctx: ServerContext, cycleId: string): AsyncGenerator<FrozenMember[]> {
  for (let after = ""; ; ) {
    const rows = await queryRows<Record<string, unknown>>(
      ctx,
      (p) =>
        `SELECT m."beneficiaryId", b."ref", b."displayName", b."area", b."householdSize" FROM "CycleMember" m JOIN "Beneficiary" b ON b."id" = m."beneficiaryId" ` +
        `WHERE m."cycleId" = ${p.add(cycleId)} AND m."beneficiaryId" > ${p.add(after)} ORDER BY m."beneficiaryId" LIMIT ${p.add(FROZEN_PAGE)}`,
    );
    if (rows.length === 0) return;
    yield rows.map(toMember);
    after = String(rows[rows.length - 1]!.beneficiaryId);
  }
}

/**
 * Calls `onPage` with each page of the frozen set, in beneficiary id order.
 *
 * @example
 * await walkFrozenSet(ctx, cycleId, async (members) => { for (const m of members) out.write(m.ref); });
 */
export async function walkFrozenSet(ctx: ServerContext, cycleId: string, onPage: (members: FrozenMember[]) => Promise<void> | void): Promise<void> {
  for await (const members of frozenSetPages(ctx, cycleId)) await onPage(members);
}

/**
 * The digest and count of a cycle's frozen set as it is stored now.
 *
 * @example
 * const { digest, count } = await digestFrozenSet(ctx, cycleId); // compare with cycle.frozenDigest
 */
export async function digestFrozenSet(ctx: ServerContext, cycleId: string): Promise<{ digest: string; count: number }> {
  const hash = createHash("sha256");
  let count = 0;
  await walkFrozenSet(ctx, cycleId, (members) => {
    for (const m of members) hash.update(`${m.ref}\n`);
    count += members.length;
  });
  return { digest: hash.digest("hex"), count };
}

/**
 * The totals of a cycle's frozen set: how many, the value by currency or unit, and by area.
 *
 * @example
 * const totals = await totalFrozenSet(ctx, cycle); // { count: 212, kind: "money", unit: "KES", total: "530000", byArea: [...] }
 */
export async function totalFrozenSet(ctx: ServerContext, cycle: CycleWithProgramme): Promise<FrozenTotals> {
  const rows = await queryRows<{ area: string | null; n: unknown }>(
    ctx,
    (p) =>
      `SELECT b."area" AS "area", count(*) AS "n" FROM "CycleMember" m JOIN "Beneficiary" b ON b."id" = m."beneficiaryId" ` +
      `WHERE m."cycleId" = ${p.add(cycle.id)} GROUP BY b."area" ORDER BY b."area"`,
  );
  const value = valuePerPerson(cycle, cycle.programme);
  const byArea = rows.map((r) => ({ area: r.area ?? null, count: asNumber(r.n), total: multiplyDecimal(value.perPerson, asNumber(r.n)) }));
  const count = byArea.reduce((a, r) => a + r.count, 0);
  return { count, ...value, total: multiplyDecimal(value.perPerson, count), byArea };
}
