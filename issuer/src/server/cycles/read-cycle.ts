import type { ServerContext } from "@/server/context";
import { readJsonColumn } from "@/server/lib/json-column";
import { EligibilityRule, ruleToWhere } from "@/server/programmes/eligibility-rule";

/** How many entitlements of the cycle page's list it shows (by beneficiary reference). */
export const CYCLE_PAGE_ROWS = 100;

/**
 * Everything the cycle page shows: the cycle with its programme and latest job, its rule and who
 * qualifies, who prepared and approved it, entitlements by status and the first of them, and what
 * service points reported (receipts, entitlements redeemed, double redemptions). Null: no such cycle.
 *
 * @example
 * const view = await readCycle(ctx, cycleId); // view.qualify, view.redeemed, view.rows[0].beneficiary.ref
 */
export async function readCycle(ctx: ServerContext, id: string) {
  const { db } = ctx;
  const cycle = await db.cycle.findUnique({ where: { id }, include: { programme: true, jobs: { orderBy: { createdAt: "desc" }, take: 1 } } });
  if (!cycle) return null;
  const rule = readJsonColumn(EligibilityRule, cycle.rule, "Cycle.rule");
  const [qualify, byStatus, people, rows, receipts, redeemed, doubles] = await Promise.all([
    db.beneficiary.count({ where: ruleToWhere(rule, cycle.programme.area) }),
    db.entitlement.groupBy({ by: ["status"], where: { cycleId: id }, _count: { _all: true } }),
    db.user.findMany({ where: { id: { in: [cycle.preparedBy, cycle.approvedBy ?? ""] } }, select: { id: true, name: true } }),
    db.entitlement.findMany({ where: { cycleId: id }, orderBy: { beneficiary: { ref: "asc" } }, take: CYCLE_PAGE_ROWS, include: { beneficiary: true } }),
    // What service points reported (signed receipts synced from their devices).
    db.receipt.count({ where: { cycleId: id } }),
    db.receipt.groupBy({ by: ["entitlementKey"], where: { cycleId: id } }).then((g) => g.length),
    db.receipt.count({ where: { cycleId: id, doubleRedemption: true } }),
  ]);
  const nameOf = (uid: string | null) => (uid ? (people.find((p) => p.id === uid)?.name ?? uid) : null);
  return {
    cycle,
    job: cycle.jobs[0] ?? null,
    rule,
    qualify,
    preparedBy: nameOf(cycle.preparedBy),
    approvedBy: nameOf(cycle.approvedBy),
    byStatus: byStatus.map((s) => ({ status: s.status, count: s._count._all })),
    rows,
    receipts,
    redeemed,
    doubles,
  };
}
