/**
 * Settlement: what finance pays a service point for a period. Per programme and cycle, the value
 * handed over (cash or voucher: money in its currency; in kind: a quantity of an item), counted
 * from the signed receipts the point's devices sent. A flagged double redemption is held back
 * until someone resolves it: paid (it was legitimate) or withheld (recovered from the point).
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { readThrough } from "@/server/lib/read-cache";
import { asDecimalText, asNumber, queryRowsInBackground, type SqlBuilder } from "@/server/lib/sql";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date (YYYY-MM-DD)");

export const SettlementPeriod = z
  .object({
    servicePoint: z.string().trim().min(1).max(64),
    /** First day of the period (UTC), inclusive. */
    from: Day,
    /** Last day of the period (UTC), inclusive. */
    to: Day,
  })
  .refine((p) => p.from <= p.to, { message: "the end must not be before the start", path: ["to"] });
export type SettlementPeriod = z.input<typeof SettlementPeriod>;

/** The instants a period covers: [from 00:00, to + 1 day 00:00) UTC. */
export function periodBounds(p: { from: string; to: string }): { start: Date; end: Date } {
  const start = new Date(`${p.from}T00:00:00.000Z`);
  const end = new Date(new Date(`${p.to}T00:00:00.000Z`).getTime() + 86_400_000);
  return { start, end };
}

/** One line of a settlement: a programme's cycle at one point over the period. */
export interface SettlementLine {
  programme: string;
  programmeName: string;
  cycleCode: string;
  cycleId: string | null;
  /** money (amount in `unit`, a currency) or quantity (so many `unit` of `item`). */
  kind: "money" | "quantity";
  unit: string;
  item: string | null;
  receipts: number;
  /** What to pay: receipts that are not double redemptions, and double redemptions resolved "pay". */
  payable: { receipts: number; value: string };
  /** Double redemptions nobody resolved yet (not paid until they are). */
  held: { receipts: number; value: string };
  /** Double redemptions resolved "withhold". */
  withheld: { receipts: number; value: string };
}

/**
 * The receipts of a period as SQL conditions on `r` (Receipt); with `after` (a keyset cursor in
 * hand-over order), only those after it. The cursor's instant is the range's lower bound, so each
 * page starts its walk of the (servicePoint, redeemedAt, id) index where the last one stopped
 * instead of at the start of the period (a million-receipt export would otherwise re-read the
 * period up to the cursor on every page).
 */
export function periodSql(p: Pick<SqlBuilder, "add" | "date">, period: z.output<typeof SettlementPeriod>, after?: { at: Date; id: string } | null): string {
  const { start, end } = periodBounds(period);
  const from = after && after.at > start ? after.at : start;
  const where = `r."servicePoint" = ${p.add(period.servicePoint)} AND r."redeemedAt" >= ${p.date(from)} AND r."redeemedAt" < ${p.date(end)}`;
  if (!after) return where;
  return `${where} AND (r."redeemedAt" > ${p.date(after.at)} OR (r."redeemedAt" = ${p.date(after.at)} AND r."id" > ${p.add(after.id)}))`;
}

/**
 * The settlement of a service point over a period (cached for a while: a large period is a scan of
 * its receipts).
 *
 * @example
 * const s = await readSettlement(ctx, { servicePoint: "sp-kisumu-12", from: "2027-03-01", to: "2027-03-31" });
 * s.lines[0].payable.value; // "1250000"
 */
export async function readSettlement(ctx: ServerContext, input: SettlementPeriod) {
  const period = SettlementPeriod.parse(input);
  const point = await ctx.db.servicePoint.findUnique({ where: { id: period.servicePoint } });
  if (!point) throw new ApiError("ERR_NOT_FOUND", "No such service point.");
  const { value: lines, at } = await readThrough(ctx, `settlement:${period.servicePoint}:${period.from}:${period.to}`, async () => {
    const rows = await queryRowsInBackground<Record<string, unknown>>(ctx, (p) => {
      // Literals, not parameters: each condition appears twice and SQLite's placeholders are positional.
      const double = `r."doubleRedemption" = ${p.bool(true)}`;
      const held = `${double} AND r."doubleResolution" IS NULL`;
      const withheld = `${double} AND r."doubleResolution" = 'withhold'`;
      const value = `COALESCE(${p.decimal(`r."amount"`)}, ${p.decimal(`r."quantity"`)}, 0)`;
      return (
        `SELECT r."programme" AS "programme", r."cycleCode" AS "cycleCode", max(r."cycleId") AS "cycleId", count(*) AS "receipts", ` +
        `sum(CASE WHEN ${held} THEN 1 ELSE 0 END) AS "heldN", sum(CASE WHEN ${withheld} THEN 1 ELSE 0 END) AS "withheldN", ` +
        `sum(${value}) AS "value", sum(CASE WHEN ${held} THEN ${value} ELSE 0 END) AS "heldV", sum(CASE WHEN ${withheld} THEN ${value} ELSE 0 END) AS "withheldV" ` +
        `FROM "Receipt" r WHERE ${periodSql(p, period)} GROUP BY r."programme", r."cycleCode" ORDER BY r."programme", r."cycleCode"`
      );
    });
    const programmes = await ctx.db.programme.findMany({ where: { code: { in: [...new Set(rows.map((r) => String(r.programme)))] } } });
    return rows.map((r): SettlementLine => {
      const prog = programmes.find((x) => x.code === r.programme);
      const receipts = asNumber(r.receipts);
      const heldN = asNumber(r.heldN);
      const withheldN = asNumber(r.withheldN);
      const total = Number(asDecimalText(r.value));
      const heldV = Number(asDecimalText(r.heldV));
      const withheldV = Number(asDecimalText(r.withheldV));
      return {
        programme: String(r.programme),
        programmeName: prog?.name ?? String(r.programme),
        cycleCode: String(r.cycleCode),
        cycleId: (r.cycleId as string | null) ?? null,
        kind: prog?.benefitType === "inkind" ? "quantity" : "money",
        unit: (prog?.benefitType === "inkind" ? prog.unit : prog?.currency) ?? "",
        item: prog?.item ?? null,
        receipts,
        payable: { receipts: receipts - heldN - withheldN, value: asDecimalText(total - heldV - withheldV) },
        held: { receipts: heldN, value: asDecimalText(heldV) },
        withheld: { receipts: withheldN, value: asDecimalText(withheldV) },
      };
    });
  });
  return { servicePoint: point, period, lines, countedAt: at };
}

export type Settlement = Awaited<ReturnType<typeof readSettlement>>;
