import type { ServerContext } from "@/server/context";

/**
 * Programmes, newest first, with how many cycles each has.
 *
 * @example
 * const programmes = await readProgrammes(ctx); // [{ id, code: "cash", name, benefitType, cycles: 2, ... }]
 */
export async function readProgrammes(ctx: ServerContext) {
  const programmes = await ctx.db.programme.findMany({ orderBy: { createdAt: "desc" }, include: { _count: { select: { cycles: true } } } });
  return programmes.map(({ _count, ...p }) => ({ ...p, cycles: _count.cycles }));
}
