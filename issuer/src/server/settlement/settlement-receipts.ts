/**
 * The signed receipts behind a settlement, page by page in the order they were handed over: the
 * settlement page lists them (and the double redemptions to resolve), the CSV and spreadsheet
 * exports stream all of them through the bulk connection (a million receipts, flat memory).
 */
import { z } from "zod";
import { openBulkSql } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";
import { decodeCursor, toPage, type Page } from "@/server/lib/cursor";
import { queryRows, rowMapper } from "@/server/lib/sql";
import type { ExportColumn, ExportSummary, ExportTable } from "@/server/export/table-export";
import { SettlementPeriod, periodSql, type Settlement } from "./read-settlement";
import { RECEIPT_CORE_COLUMNS, type ReceiptCore } from "@/server/redemptions/receipt-row";

/** A receipt as the settlement lists and exports it. */
export interface SettlementReceipt extends ReceiptCore {
  receivedAt: Date;
  device: string;
  visualCheck: boolean;
  doubleResolution: string | null;
  doubleResolvedAt: Date | null;
  doubleResolutionNote: string | null;
  jws: string;
}

const COLUMNS =
  `r."id", r."redeemedAt", r."receivedAt", r."device", r."programme", r."cycleCode", r."cycleId", r."beneficiaryRef", r."amount", r."quantity", ` +
  `r."visualCheck", r."doubleRedemption", r."doubleResolution", r."doubleResolvedAt", r."doubleResolutionNote", r."jws"`;

const toReceipt: (r: Record<string, unknown>) => SettlementReceipt = rowMapper({
  ...RECEIPT_CORE_COLUMNS,
  receivedAt: "date",
  device: "text",
  visualCheck: "bool",
  doubleResolution: "optionalText",
  doubleResolvedAt: "optionalDate",
  doubleResolutionNote: "optionalText",
  jws: "text",
});

const Cursor = z.object({ at: z.string(), id: z.string() });

/**
 * A page of a period's receipts in hand-over order (`doubles`: only flagged double redemptions).
 *
 * @example
 * const page = await readSettlementReceipts(ctx, { servicePoint, from, to }, { doubles: true });
 */
export async function readSettlementReceipts(
  ctx: ServerContext,
  input: z.input<typeof SettlementPeriod>,
  options: { after?: string; pageSize?: number; doubles?: boolean } = {},
): Promise<Page<SettlementReceipt>> {
  const period = SettlementPeriod.parse(input);
  const size = options.pageSize ?? 50;
  const cursor = decodeCursor(options.after, Cursor);
  const rows = await queryRows<Record<string, unknown>>(ctx, (p) => {
    const where = [periodSql(p, period, cursor && { at: new Date(cursor.at), id: cursor.id })];
    if (options.doubles) where.push(`r."doubleRedemption" = ${p.bool(true)}`);
    return `SELECT ${COLUMNS} FROM "Receipt" r WHERE ${where.join(" AND ")} ORDER BY r."redeemedAt", r."id" LIMIT ${p.add(size + 1)}`;
  });
  return toPage(rows.map(toReceipt), size, (r) => ({ at: r.redeemedAt.toISOString(), id: r.id }));
}

/** Receipts read per page by the exports. */
export const EXPORT_PAGE = 2000;

/**
 * Every receipt of a period, a page at a time, through the bulk connection (closed at the end).
 *
 * @example
 * for await (const page of settlementReceiptPages(ctx, period)) total += page.length;
 */
export async function* settlementReceiptPages(ctx: ServerContext, input: z.input<typeof SettlementPeriod>, pageSize = EXPORT_PAGE): AsyncGenerator<SettlementReceipt[]> {
  const period = SettlementPeriod.parse(input);
  const bulk = openBulkSql(ctx.env.DATABASE_URL);
  try {
    let after: { at: Date; id: string } | null = null;
    for (;;) {
      const p = bulk.params();
      const where = periodSql(p, period, after);
      const rows: Record<string, unknown>[] = await bulk.query<Record<string, unknown>>(
        `SELECT ${COLUMNS} FROM "Receipt" r WHERE ${where} ORDER BY r."redeemedAt", r."id" LIMIT ${p.add(pageSize)}`,
        p.values,
      );
      if (rows.length === 0) return;
      const page: SettlementReceipt[] = rows.map(toReceipt);
      yield page;
      const last: SettlementReceipt = page[page.length - 1]!;
      after = { at: last.redeemedAt, id: last.id };
    }
  } finally {
    await bulk.close();
  }
}

/** Whether finance pays for this receipt (see read-settlement.ts). */
export function isPayable(r: Pick<SettlementReceipt, "doubleRedemption" | "doubleResolution">): boolean {
  return !r.doubleRedemption || r.doubleResolution === "pay";
}

/**
 * The settlement export: one row per signed receipt, with the receipt itself (a JWS the point's
 * device signed) as the evidence, and a summary sheet with the totals.
 *
 * @example
 * return exportResponse(settlementTable(ctx, settlement, labels), "xlsx", "settlement-sp-12-2027-03", settlementSummary(settlement, labels));
 */
export function settlementTable(ctx: ServerContext, s: Settlement, headers: Record<SettlementHeader, string>): ExportTable<SettlementReceipt> {
  const unitOf = new Map(s.lines.map((l) => [`${l.programme}|${l.cycleCode}`, l.unit]));
  const columns: ExportColumn<SettlementReceipt>[] = [
    { header: headers.receipt, value: (r) => r.id, width: 38 },
    { header: headers.redeemedAt, value: (r) => r.redeemedAt.toISOString(), width: 26 },
    { header: headers.programme, value: (r) => r.programme },
    { header: headers.cycle, value: (r) => r.cycleCode },
    { header: headers.beneficiary, value: (r) => r.beneficiaryRef, width: 16 },
    { header: headers.amount, value: (r) => (r.amount === null ? null : Number(r.amount)) },
    { header: headers.quantity, value: (r) => (r.quantity === null ? null : Number(r.quantity)) },
    { header: headers.unit, value: (r) => unitOf.get(`${r.programme}|${r.cycleCode}`) ?? "" },
    { header: headers.device, value: (r) => r.device, width: 38 },
    { header: headers.double, value: (r) => (r.doubleRedemption ? headers.yes : headers.no) },
    { header: headers.resolution, value: (r) => r.doubleResolution ?? "" },
    { header: headers.payable, value: (r) => (isPayable(r) ? headers.yes : headers.no) },
    { header: headers.signedReceipt, value: (r) => r.jws, width: 80 },
  ];
  return { name: headers.sheet, columns, pages: () => settlementReceiptPages(ctx, s.period) };
}

export const SETTLEMENT_HEADERS = [
  "sheet",
  "receipt",
  "redeemedAt",
  "programme",
  "cycle",
  "beneficiary",
  "amount",
  "quantity",
  "unit",
  "device",
  "double",
  "resolution",
  "payable",
  "signedReceipt",
  "yes",
  "no",
  "servicePoint",
  "period",
  "toPay",
  "held",
  "withheld",
] as const;
export type SettlementHeader = (typeof SETTLEMENT_HEADERS)[number];

/** The summary sheet: the point, the period and, per programme and cycle, what to pay and what is held. */
export function settlementSummary(s: Settlement, headers: Record<SettlementHeader, string>): ExportSummary {
  return [
    [headers.servicePoint, `${s.servicePoint.name} (${s.servicePoint.id})`],
    [headers.period, `${s.period.from} – ${s.period.to}`],
    ...s.lines.flatMap((l): ExportSummary => [
      [`${l.programmeName} ${l.cycleCode}: ${headers.toPay}`, `${l.payable.value} ${l.unit} (${l.payable.receipts})`],
      [`${l.programmeName} ${l.cycleCode}: ${headers.held}`, `${l.held.value} ${l.unit} (${l.held.receipts})`],
      [`${l.programmeName} ${l.cycleCode}: ${headers.withheld}`, `${l.withheld.value} ${l.unit} (${l.withheld.receipts})`],
    ]),
  ];
}
