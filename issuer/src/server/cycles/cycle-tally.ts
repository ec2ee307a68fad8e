/**
 * A cycle's entitlements counted by area, state, delivered or not and redeemed or not: one grouped
 * scan of the cycle (a million rows on a national programme), kept by the read cache so the cycle
 * page and its filters answer their counts without scanning. Any filter of the cycle page is a sum
 * over these groups.
 */
import type { ServerContext } from "@/server/context";
import { readThrough, type Cached, type ReadOptions } from "@/server/lib/read-cache";
import { asBool, asNumber, queryRowsInBackground } from "@/server/lib/sql";

export interface TallyRow {
  area: string | null;
  status: string;
  delivered: boolean;
  redeemed: boolean;
  n: number;
}

/** The cycle page's filters that a tally can count. */
export interface TallyFilter {
  status?: string;
  area?: string;
  delivered?: "yes" | "no";
  redeemed?: "yes" | "no";
}

/** The cache key of a cycle's tally (mark it stale after changing the cycle's entitlements). */
export const cycleTallyKey = (cycleId: string) => `cycle-tally:${cycleId}`;

/**
 * What a cycle's tally depends on that a page sees anyway: the cycle's state and its latest
 * issuance job's (a job that finishes changes it; its progress does not).
 *
 * @example
 * readCycleTally(ctx, cycle.id, { version: tallyVersion(cycle.state, cycle.jobs[0]) });
 */
export const tallyVersion = (state: string, job: { id: string; state: string } | null | undefined) => `${state}/${job?.id ?? "-"}/${job?.state ?? "-"}`;

/**
 * The cycle's tally, from the cache when fresh enough (and computed for `version` when one is given:
 * `tallyVersion` of the cycle as the reader sees it).
 *
 * @example
 * const { value: tally, at } = await readCycleTally(ctx, cycleId);
 * countTally(tally, { area: "KE-047", delivered: "no" }); // 1234
 */
export function readCycleTally(ctx: ServerContext, cycleId: string, options: Pick<ReadOptions, "version"> = {}): Promise<Cached<TallyRow[]>> {
  return readThrough(ctx, cycleTallyKey(cycleId), async () => {
    const rows = await queryRowsInBackground<Record<string, unknown>>(
      ctx,
      (p) =>
        `SELECT b."area" AS "area", e."status" AS "status", ` +
        `CASE WHEN e."holderDid" IS NOT NULL OR e."printedAt" IS NOT NULL THEN 1 ELSE 0 END AS "delivered", ` +
        `CASE WHEN e."redeemed" = ${p.bool(true)} THEN 1 ELSE 0 END AS "redeemed", count(*) AS "n" ` +
        `FROM "Entitlement" e JOIN "Beneficiary" b ON b."id" = e."beneficiaryId" WHERE e."cycleId" = ${p.add(cycleId)} ` +
        `GROUP BY b."area", e."status", 3, 4`,
    );
    return rows.map((r) => ({
      area: (r.area as string | null) ?? null,
      status: String(r.status),
      delivered: asBool(r.delivered),
      redeemed: asBool(r.redeemed),
      n: asNumber(r.n),
    }));
  }, options);
}

/**
 * How many entitlements of the tally match a filter.
 *
 * @example
 * countTally(tally, { status: "issued" }); // 998_211
 */
export function countTally(tally: TallyRow[], f: TallyFilter): number {
  let n = 0;
  for (const r of tally) {
    if (f.status && r.status !== f.status) continue;
    if (f.area && r.area !== f.area) continue;
    if (f.delivered && r.delivered !== (f.delivered === "yes")) continue;
    if (f.redeemed && r.redeemed !== (f.redeemed === "yes")) continue;
    n += r.n;
  }
  return n;
}

/**
 * Counts by one dimension of the tally (e.g. by status, by area), for summaries and filter menus.
 *
 * @example
 * groupTally(tally, "status"); // Map { "issued" => 998_211, "revoked" => 1_789 }
 */
export function groupTally(tally: TallyRow[], by: "status" | "area"): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of tally) {
    const k = (by === "status" ? r.status : r.area) ?? "";
    out.set(k, (out.get(k) ?? 0) + r.n);
  }
  return out;
}
