/**
 * The redemptions page: every hand-over the service points reported, newest first, over a date
 * range, optionally for one service point or one cycle, with amounts and links to the cycle and the
 * point's settlement. Paged by keyset on (redeemedAt, id), the order of the receipts' time index.
 */
import { z } from "zod";
import { OptionalText } from "@/server/lib/filter-fields";
import type { ServerContext } from "@/server/context";
import { decodeCursor, toPage } from "@/server/lib/cursor";
import { queryRows } from "@/server/lib/sql";
import { receiptCoreOf, type ReceiptCore } from "./receipt-row";
import { periodBounds } from "@/server/settlement/read-settlement";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const RedemptionFilter = z.object({
  from: Day,
  to: Day,
  servicePoint: OptionalText(100),
  cycleId: OptionalText(100),
  after: z.string().max(1000).optional(),
});
export type RedemptionFilter = z.input<typeof RedemptionFilter>;

/** Receipts per page. */
export const REDEMPTION_PAGE = 50;

/** One hand-over as the redemptions page lists it. */
export interface RedemptionRow extends ReceiptCore {
  servicePoint: string;
}

/**
 * A page of hand-overs, newest first.
 *
 * @example
 * const page = await readRedemptions(ctx, { from: "2027-03-01", to: "2027-03-31", servicePoint: "sp-kisumu-12" });
 */
export async function readRedemptions(ctx: ServerContext, filter: RedemptionFilter, options: { pageSize?: number } = {}) {
  const f = RedemptionFilter.parse(filter);
  const size = options.pageSize ?? REDEMPTION_PAGE;
  const { start, end } = periodBounds(f);
  const cursor = decodeCursor(f.after, z.object({ at: z.string(), id: z.string() }));
  const rows = await queryRows<Record<string, unknown>>(ctx, (p) => {
    // Newest first: the cursor's instant is the range's upper bound, so a page walks the index
    // from where the last one stopped, not from the end of the period.
    const at = cursor ? new Date(cursor.at) : null;
    const where = [`r."redeemedAt" >= ${p.date(start)}`, at && at < end ? `r."redeemedAt" <= ${p.date(at)}` : `r."redeemedAt" < ${p.date(end)}`];
    if (f.servicePoint) where.push(`r."servicePoint" = ${p.add(f.servicePoint)}`);
    if (f.cycleId) where.push(`r."cycleId" = ${p.add(f.cycleId)}`);
    if (cursor && at) where.push(`(r."redeemedAt" < ${p.date(at)} OR (r."redeemedAt" = ${p.date(at)} AND r."id" < ${p.add(cursor.id)}))`);
    return (
      `SELECT r."id", r."redeemedAt", r."servicePoint", r."programme", r."cycleCode", r."cycleId", r."beneficiaryRef", r."amount", r."quantity", r."doubleRedemption" ` +
      `FROM "Receipt" r WHERE ${where.join(" AND ")} ORDER BY r."redeemedAt" DESC, r."id" DESC LIMIT ${p.add(size + 1)}`
    );
  });
  const page = toPage(
    rows.map(
      (r): RedemptionRow => ({ ...receiptCoreOf(r), servicePoint: String(r.servicePoint) }),
    ),
    size,
    (r) => ({ at: r.redeemedAt.toISOString(), id: r.id }),
  );
  const [points, programmes] = await Promise.all([
    ctx.db.servicePoint.findMany({ where: { id: { in: [...new Set(page.rows.map((r) => r.servicePoint))] } }, select: { id: true, name: true } }),
    ctx.db.programme.findMany({ where: { code: { in: [...new Set(page.rows.map((r) => r.programme))] } }, select: { code: true, name: true, benefitType: true, currency: true, unit: true } }),
  ]);
  return { ...page, servicePointNames: new Map(points.map((s) => [s.id, s.name])), programmes: new Map(programmes.map((x) => [x.code, x])) };
}
