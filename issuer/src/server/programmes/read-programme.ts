import type { ServerContext } from "@/server/context";

/**
 * A programme with its cycles, newest first (null: no such programme).
 *
 * @example
 * const programme = await readProgramme(ctx, id); // programme.cycles[0].code
 */
export async function readProgramme(ctx: ServerContext, id: string) {
  return ctx.db.programme.findUnique({ where: { id }, include: { cycles: { orderBy: { preparedAt: "desc" } } } });
}
