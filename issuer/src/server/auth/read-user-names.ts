import type { ServerContext } from "@/server/context";

/**
 * The names of console users by id, for pages that say who did what (unknown ids are left out).
 *
 * @example
 * const names = await readUserNames(ctx, [cycle.preparedBy, cycle.approvedBy]); // Map { "u1" => "Amina Odhiambo" }
 */
export async function readUserNames(ctx: ServerContext, ids: Iterable<string | null | undefined>): Promise<Map<string, string>> {
  const wanted = [...new Set([...ids].filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return new Map();
  const users = await ctx.db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(users.map((u) => [u.id, u.name]));
}
