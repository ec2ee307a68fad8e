import type { ServerContext } from "@/server/context";
import { readThrough } from "@/server/lib/read-cache";
import { asNumber, queryRowsInBackground } from "@/server/lib/sql";

/**
 * The areas the registry's people live in, with how many each, for the console's area pickers
 * (programme form, eligibility rule, search and list filters). Read from the area index off the
 * request thread and kept five minutes, or until an import changes who lives where.
 *
 * @example
 * const areas = await readRegistryAreas(ctx); // [{ code: "KE-047", people: 21_276 }, ...]
 */
export async function readRegistryAreas(ctx: ServerContext): Promise<{ code: string; people: number }[]> {
  const { value } = await readThrough(
    ctx,
    "registry-areas",
    async () =>
      (
        await queryRowsInBackground<{ area: string; n: unknown }>(
          ctx,
          () => `SELECT b."area" AS "area", count(*) AS "n" FROM "Beneficiary" b WHERE b."area" IS NOT NULL GROUP BY b."area" ORDER BY b."area"`,
        )
      ).map((r) => ({ code: String(r.area), people: asNumber(r.n) })),
    // Kept whatever it costs: an import (import-registry.ts) marks it stale.
    { maxAgeMs: 300_000, keep: true },
  );
  return value;
}
