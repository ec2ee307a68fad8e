import type { ServerContext } from "@/server/context";
import { readJsonColumn } from "@/server/lib/json-column";
import { EligibilityRule, ruleToWhere } from "@/server/programmes/eligibility-rule";

/** How many entitlements of the cycle page's list it shows (by beneficiary reference). */
export const CYCLE_PAGE_ROWS = 100;

/**
 * Everything the cycle page shows: the cycle with its programme and latest job, its rule and who
 * qualifies, who prepared and approved it, entitlements by status and the first of them, and what
 * service points reported (receipts, entitlements redeemed, double redemptions), and what wallets
 * reported (`wallets`: credentials delivered to phones, kept, deleted, per the OpenID4VCI
 * notifications; each row's `delivery`). Null: no such cycle.
 *
 * @example
 * const view = await readCycle(ctx, cycleId); // view.qualify, view.redeemed, view.rows[0].beneficiary.ref
 */
export async function readCycle(ctx: ServerContext, id: string) {
  const { db } = ctx;
  const cycle = await db.cycle.findUnique({ where: { id }, include: { programme: true, jobs: { orderBy: { createdAt: "desc" }, take: 1 } } });
  if (!cycle) return null;
  const rule = readJsonColumn(EligibilityRule, cycle.rule, "Cycle.rule");
  const [qualify, byStatus, people, rows, receipts, redeemed, doubles, deliveries] = await Promise.all([
    db.beneficiary.count({ where: ruleToWhere(rule, cycle.programme.area) }),
    db.entitlement.groupBy({ by: ["status"], where: { cycleId: id }, _count: { _all: true } }),
    db.user.findMany({ where: { id: { in: [cycle.preparedBy, cycle.approvedBy ?? ""] } }, select: { id: true, name: true } }),
    db.entitlement.findMany({
      where: { cycleId: id },
      orderBy: { beneficiary: { ref: "asc" } },
      take: CYCLE_PAGE_ROWS,
      include: {
        beneficiary: true,
        offers: { orderBy: { createdAt: "desc" }, take: 1, select: { credentialIssuedAt: true, credentialCount: true, credentialConfigurationId: true, walletEvent: true, walletEventAt: true } },
      },
    }),
    // What service points reported (signed receipts synced from their devices).
    db.receipt.count({ where: { cycleId: id } }),
    db.receipt.groupBy({ by: ["entitlementKey"], where: { cycleId: id } }).then((g) => g.length),
    db.receipt.count({ where: { cycleId: id, doubleRedemption: true } }),
    // What wallets said about the cards delivered to them (OpenID4VCI notifications).
    db.offer.groupBy({ by: ["walletEvent"], where: { entitlement: { cycleId: id }, credentialIssuedAt: { not: null } }, _count: { _all: true } }),
  ]);
  const deliveredWith = (event: string | null) => deliveries.find((d) => d.walletEvent === event)?._count._all ?? 0;
  const nameOf = (uid: string | null) => (uid ? (people.find((p) => p.id === uid)?.name ?? uid) : null);
  return {
    cycle,
    job: cycle.jobs[0] ?? null,
    rule,
    qualify,
    preparedBy: nameOf(cycle.preparedBy),
    approvedBy: nameOf(cycle.approvedBy),
    byStatus: byStatus.map((s) => ({ status: s.status, count: s._count._all })),
    rows: rows.map(({ offers, ...e }) => ({ ...e, delivery: offers[0]?.credentialIssuedAt ? offers[0] : null })),
    wallets: {
      delivered: deliveries.reduce((n, d) => n + d._count._all, 0),
      accepted: deliveredWith("credential_accepted"),
      deleted: deliveredWith("credential_deleted"),
      failed: deliveredWith("credential_failure"),
    },
    receipts,
    redeemed,
    doubles,
  };
}
