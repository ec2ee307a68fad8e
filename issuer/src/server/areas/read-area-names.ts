/**
 * Place names of area codes, from the registry's area list (./save-area-list.ts).
 */
import type { ServerContext } from "@/server/context";

/**
 * Every known area, by code, in code order.
 *
 * @example
 * const areas = await readAreaNames(ctx);            // Map { "KE-042" => "Kisumu", "KE-047" => "Nairobi" }
 * const some = await readAreaNames(ctx, ["KE-047"]); // only those asked for
 */
export async function readAreaNames(ctx: ServerContext, codes?: readonly string[]): Promise<Map<string, string>> {
  const rows = await ctx.db.area.findMany({ ...(codes ? { where: { code: { in: [...new Set(codes)] } } } : {}), orderBy: { code: "asc" } });
  return new Map(rows.map((r) => [r.code, r.name]));
}
