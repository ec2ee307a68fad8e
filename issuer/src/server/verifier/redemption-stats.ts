import type { ServerContext } from "@/server/context";

export interface CycleRedemption {
  cycleId: string;
  programme: string;
  cycle: string;
  issued: number;
  redeemed: number;
  doubleRedemptions: number;
}

export interface ServicePointRedemption {
  servicePoint: string;
  name: string;
  receipts: number;
  entitlements: number;
  doubleRedemptions: number;
}

/**
 * Issued versus redeemed per cycle, and hand-overs per service point (for the console's charts).
 *
 * @example
 * const { cycles, servicePoints } = await redemptionStats(ctx);
 */
export async function redemptionStats(ctx: ServerContext): Promise<{ cycles: CycleRedemption[]; servicePoints: ServicePointRedemption[] }> {
  const { db } = ctx;
  const [cycles, issued, redeemed, doubles, byPoint, points] = await Promise.all([
    db.cycle.findMany({ where: { state: { in: ["issued", "closed", "approved"] } }, include: { programme: true }, orderBy: { preparedAt: "desc" }, take: 50 }),
    db.entitlement.groupBy({ by: ["cycleId"], where: { status: { not: "pending" } }, _count: { _all: true } }),
    db.receipt.groupBy({ by: ["cycleId", "entitlementKey"], where: { cycleId: { not: null } } }),
    db.receipt.groupBy({ by: ["cycleId"], where: { doubleRedemption: true }, _count: { _all: true } }),
    db.receipt.groupBy({ by: ["servicePoint"], _count: { _all: true } }),
    db.servicePoint.findMany(),
  ]);
  const redeemedByCycle = new Map<string, number>();
  for (const r of redeemed) if (r.cycleId) redeemedByCycle.set(r.cycleId, (redeemedByCycle.get(r.cycleId) ?? 0) + 1);
  const perPoint = await Promise.all(
    byPoint.map(async (p) => {
      const [entitlements, dbl] = await Promise.all([
        db.receipt.groupBy({ by: ["entitlementKey"], where: { servicePoint: p.servicePoint } }),
        db.receipt.count({ where: { servicePoint: p.servicePoint, doubleRedemption: true } }),
      ]);
      return {
        servicePoint: p.servicePoint,
        name: points.find((s) => s.id === p.servicePoint)?.name ?? p.servicePoint,
        receipts: p._count._all,
        entitlements: entitlements.length,
        doubleRedemptions: dbl,
      };
    }),
  );
  return {
    cycles: cycles.map((c) => ({
      cycleId: c.id,
      programme: c.programme.name,
      cycle: c.code,
      issued: issued.find((i) => i.cycleId === c.id)?._count._all ?? 0,
      redeemed: redeemedByCycle.get(c.id) ?? 0,
      doubleRedemptions: doubles.find((d) => d.cycleId === c.id)?._count._all ?? 0,
    })),
    servicePoints: perPoint.sort((a, b) => b.receipts - a.receipts),
  };
}
