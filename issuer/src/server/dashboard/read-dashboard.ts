import type { ServerContext } from "@/server/context";

/**
 * The console's front page figures: people, programmes, cycles and credentials issued.
 *
 * @example
 * const { beneficiaries, issued } = await readDashboard(ctx);
 */
export async function readDashboard(ctx: ServerContext): Promise<{ beneficiaries: number; programmes: number; cycles: number; issued: number }> {
  const [beneficiaries, programmes, cycles, issued] = await Promise.all([
    ctx.db.beneficiary.count(),
    ctx.db.programme.count(),
    ctx.db.cycle.count(),
    ctx.db.entitlement.count({ where: { status: { not: "pending" } } }),
  ]);
  return { beneficiaries, programmes, cycles, issued };
}
