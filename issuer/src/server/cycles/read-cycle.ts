import type { ServerContext } from "@/server/context";
import { readJsonColumn } from "@/server/lib/json-column";
import { readThrough } from "@/server/lib/read-cache";
import { asNumber, queryRowsInBackground } from "@/server/lib/sql";
import { readUserNames } from "@/server/auth/read-user-names";
import { EligibilityRule } from "@/server/programmes/eligibility-rule";
import { countQualifying, FrozenTotals } from "./frozen-set";
import { cycleTallyKey, groupTally, readCycleTally, tallyVersion } from "./cycle-tally";

/**
 * Everything the cycle page shows above its list: the cycle with its programme and latest job, its
 * rule, who qualifies now (a draft) or the frozen list (submitted and later), who prepared,
 * submitted, returned and approved it, entitlements by status and by area (from the cached tally),
 * what service points reported, and what wallets reported (`wallets`: credentials delivered to
 * phones, kept, deleted, per the OpenID4VCI notifications). Null: no such cycle.
 *
 * @example
 * const view = await readCycle(ctx, cycleId); // view.frozen?.count, view.byStatus, view.redeemed
 */
export async function readCycle(ctx: ServerContext, id: string) {
  const { db } = ctx;
  const cycle = await db.cycle.findUnique({
    where: { id },
    include: { programme: true, jobs: { orderBy: { createdAt: "desc" }, take: 1 } },
  });
  if (!cycle) return null;
  const rule = readJsonColumn(EligibilityRule, cycle.rule, "Cycle.rule");
  const version = tallyVersion(cycle.state, cycle.jobs[0]);
  const frozen = cycle.frozenTotals ? readJsonColumn(FrozenTotals, cycle.frozenTotals, "Cycle.frozenTotals") : null;
  const [qualify, tally, receipts, names, parent, deliveries] = await Promise.all([
    cycle.state === "draft"
      ? readThrough(ctx, `cycle-qualify:${id}`, () => countQualifying(ctx, cycle), {
          maxAgeMs: 5_000,
        }).then((c) => c.value)
      : null,
    readCycleTally(ctx, id, { version }),
    readThrough(ctx, `cycle-receipts:${id}`, async () => {
      const [row] = await queryRowsInBackground<Record<string, unknown>>(
        ctx,
        (p) => `SELECT count(*) AS "receipts", sum(CASE WHEN "doubleRedemption" = ${p.bool(true)} THEN 1 ELSE 0 END) AS "doubles" FROM "Receipt" WHERE "cycleId" = ${p.add(id)}`,
      );
      return { receipts: asNumber(row?.receipts), doubles: asNumber(row?.doubles) };
    }),
    readUserNames(ctx, [cycle.preparedBy, cycle.submittedBy, cycle.approvedBy, cycle.returnedBy]),
    cycle.topUpOf ? db.cycle.findUnique({ where: { id: cycle.topUpOf }, select: { id: true, code: true } }) : null,
    // What wallets said about the cards delivered to them (OpenID4VCI notifications): a scan of the
    // cycle's offers (400,000 on a national cycle: 0.6-2 s), so off the request thread and kept
    // with the tally (its key starts with the tally's: whatever marks the tally stale marks this).
    readThrough(ctx, `${cycleTallyKey(id)}:wallets`, async () =>
      (
        await queryRowsInBackground<Record<string, unknown>>(
          ctx,
          (p) =>
            `SELECT o."walletEvent" AS "event", count(*) AS "n" FROM "Offer" o JOIN "Entitlement" e ON e."id" = o."entitlementId" ` +
            `WHERE e."cycleId" = ${p.add(id)} AND o."credentialIssuedAt" IS NOT NULL GROUP BY o."walletEvent"`,
        )
      ).map((r) => ({ event: (r.event as string | null) ?? null, n: asNumber(r.n) })),
      { version },
    ).then((c) => c.value),
  ]);
  const deliveredWith = (event: string | null) => deliveries.find((d) => d.event === event)?.n ?? 0;
  const nameOf = (uid: string | null) => (uid ? (names.get(uid) ?? uid) : null);
  const rows = tally.value;
  return {
    cycle,
    job: cycle.jobs[0] ?? null,
    rule,
    qualify,
    frozen,
    parent,
    preparedBy: nameOf(cycle.preparedBy),
    submittedBy: nameOf(cycle.submittedBy),
    approvedBy: nameOf(cycle.approvedBy),
    returnedBy: nameOf(cycle.returnedBy),
    byStatus: [...groupTally(rows, "status")].map(([status, count]) => ({ status, count })),
    areas: [...groupTally(rows, "area")].map(([area, count]) => ({ area, count })).sort((a, b) => a.area.localeCompare(b.area)),
    tally: rows,
    countedAt: tally.at,
    entitlements: rows.reduce((a, r) => a + r.n, 0),
    redeemed: rows.filter((r) => r.redeemed).reduce((a, r) => a + r.n, 0),
    receipts: receipts.value.receipts,
    doubles: receipts.value.doubles,
    wallets: {
      delivered: deliveries.reduce((n, d) => n + d.n, 0),
      accepted: deliveredWith("credential_accepted"),
      deleted: deliveredWith("credential_deleted"),
      failed: deliveredWith("credential_failure"),
    },
  };
}

export type CycleView = NonNullable<Awaited<ReturnType<typeof readCycle>>>;
