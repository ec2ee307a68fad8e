import type { ServerContext } from "@/server/context";

/**
 * What the bulk status screen offers to pick from: the issued or closed cycles (newest first, up to
 * 200) and the areas beneficiaries live in (up to 500).
 *
 * @example
 * const { cycles, areas } = await readBulkStatusChoices(ctx); // cycles: [{ id, label: "Cash transfer · 2027-03" }]
 */
export async function readBulkStatusChoices(ctx: ServerContext): Promise<{ cycles: { id: string; label: string }[]; areas: string[] }> {
  const [cycles, areas] = await Promise.all([
    ctx.db.cycle.findMany({
      where: { state: { in: ["issued", "closed"] } },
      include: { programme: { select: { name: true } } },
      orderBy: { validFrom: "desc" },
      take: 200,
    }),
    ctx.db.beneficiary.findMany({ where: { area: { not: null } }, distinct: ["area"], select: { area: true }, orderBy: { area: "asc" }, take: 500 }),
  ]);
  return {
    cycles: cycles.map((c) => ({ id: c.id, label: `${c.programme.name} · ${c.code}` })),
    areas: areas.flatMap((a) => (a.area ? [a.area] : [])),
  };
}
