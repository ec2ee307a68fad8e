/**
 * The console's front page: what has been issued, delivered and redeemed (over time, by cycle, by
 * area and by service point), the value redeemed against the value issued, and what needs someone:
 * cycles waiting for approval, open grievances, double redemptions to resolve, devices that have
 * not been heard from. The figures scan the large tables, so they are computed off the request
 * thread and kept for a minute (the page says as of when); the counts of work waiting are small
 * index reads, always current.
 */
import type { ServerContext } from "@/server/context";
import { readThrough } from "@/server/lib/read-cache";
import { multiplyDecimal } from "@/server/lib/decimal";
import { asDate, asDecimalText, asNumber, queryRows, queryRowsInBackground } from "@/server/lib/sql";
import { readCycleTally } from "@/server/cycles/cycle-tally";
import { valuePerPerson } from "@/server/cycles/frozen-set";

/** Cycles the dashboard compares (the latest approved, issued or closed ones). */
export const DASHBOARD_CYCLES = 12;
/** Days the "over time" chart covers. */
export const DASHBOARD_DAYS = 30;

export interface CycleFigures {
  cycleId: string;
  programme: string;
  code: string;
  kind: "money" | "quantity" | "none";
  unit: string;
  issued: number;
  delivered: number;
  redeemed: number;
  valueIssued: string;
  valueRedeemed: string;
}

export interface DashboardFigures {
  beneficiaries: number;
  programmes: number;
  cycles: CycleFigures[];
  byArea: { area: string; issued: number; redeemed: number }[];
  byServicePoint: { id: string; name: string; receipts: number }[];
  overTime: { day: string; issued: number; delivered: number; redeemed: number }[];
}

/** Work waiting for someone. */
export interface DashboardWork {
  pendingApprovals: number;
  openGrievances: number;
  openDoubleRedemptions: number;
  quietDevices: { id: string; label: string | null; servicePoint: string; lastSeen: Date }[];
  quietDays: number;
}

async function computeFigures(ctx: ServerContext): Promise<DashboardFigures> {
  const since = new Date(ctx.now().getTime() - DASHBOARD_DAYS * 86_400_000);
  const [counts, cycles, receiptsByCycle, byPoint, points, issuedDays, deliveredDays, redeemedDays] = await Promise.all([
    queryRowsInBackground<Record<string, unknown>>(ctx, () => `SELECT (SELECT count(*) FROM "Beneficiary") AS "beneficiaries", (SELECT count(*) FROM "Programme") AS "programmes"`),
    ctx.db.cycle.findMany({ where: { state: { in: ["approved", "issued", "closed"] } }, include: { programme: true }, orderBy: { preparedAt: "desc" }, take: DASHBOARD_CYCLES }),
    queryRowsInBackground<Record<string, unknown>>(
      ctx,
      (p) =>
        `SELECT r."cycleId" AS "cycleId", sum(COALESCE(${p.decimal(`r."amount"`)}, ${p.decimal(`r."quantity"`)}, 0)) AS "value" FROM "Receipt" r ` +
        `WHERE r."cycleId" IS NOT NULL AND NOT (r."doubleRedemption" = ${p.bool(true)} AND COALESCE(r."doubleResolution", '') <> 'pay') GROUP BY r."cycleId"`,
    ),
    queryRowsInBackground<Record<string, unknown>>(ctx, () => `SELECT r."servicePoint" AS "id", count(*) AS "n" FROM "Receipt" r GROUP BY r."servicePoint" ORDER BY 2 DESC`),
    ctx.db.servicePoint.findMany({ select: { id: true, name: true } }),
    queryRowsInBackground<Record<string, unknown>>(ctx, (p) => `SELECT ${p.day(`e."issuedAt"`)} AS "day", count(*) AS "n" FROM "Entitlement" e WHERE e."issuedAt" >= ${p.date(since)} GROUP BY 1`),
    queryRowsInBackground<Record<string, unknown>>(
      ctx,
      (p) => `SELECT ${p.day(`o."credentialIssuedAt"`)} AS "day", count(*) AS "n" FROM "Offer" o WHERE o."credentialIssuedAt" >= ${p.date(since)} GROUP BY 1`,
    ),
    queryRowsInBackground<Record<string, unknown>>(ctx, (p) => `SELECT ${p.day(`r."redeemedAt"`)} AS "day", count(*) AS "n" FROM "Receipt" r WHERE r."redeemedAt" >= ${p.date(since)} GROUP BY 1`),
  ]);
  const redeemedValue = new Map(receiptsByCycle.map((r) => [String(r.cycleId), asDecimalText(r.value)]));
  const byArea = new Map<string, { issued: number; redeemed: number }>();
  const figures: CycleFigures[] = [];
  for (const c of cycles) {
    const { value: tally } = await readCycleTally(ctx, c.id);
    let issued = 0;
    let delivered = 0;
    let redeemed = 0;
    for (const r of tally) {
      if (r.status === "pending") continue;
      issued += r.n;
      if (r.delivered) delivered += r.n;
      if (r.redeemed) redeemed += r.n;
      const a = byArea.get(r.area ?? "") ?? { issued: 0, redeemed: 0 };
      a.issued += r.n;
      if (r.redeemed) a.redeemed += r.n;
      byArea.set(r.area ?? "", a);
    }
    const value = valuePerPerson(c, c.programme);
    figures.push({
      cycleId: c.id,
      programme: c.programme.name,
      code: c.code,
      kind: value.kind,
      unit: value.unit,
      issued,
      delivered,
      redeemed,
      valueIssued: multiplyDecimal(value.perPerson, issued),
      valueRedeemed: redeemedValue.get(c.id) ?? "0",
    });
  }
  const names = new Map(points.map((p) => [p.id, p.name]));
  const days = new Map<string, { issued: number; delivered: number; redeemed: number }>();
  for (let i = DASHBOARD_DAYS - 1; i >= 0; i--) days.set(new Date(ctx.now().getTime() - i * 86_400_000).toISOString().slice(0, 10), { issued: 0, delivered: 0, redeemed: 0 });
  const add = (rows: Record<string, unknown>[], k: "issued" | "delivered" | "redeemed") => {
    for (const r of rows) {
      const d = days.get(String(r.day));
      if (d) d[k] += asNumber(r.n);
    }
  };
  add(issuedDays, "issued");
  add(deliveredDays, "delivered");
  add(redeemedDays, "redeemed");
  return {
    beneficiaries: asNumber(counts[0]?.beneficiaries),
    programmes: asNumber(counts[0]?.programmes),
    cycles: figures,
    byArea: [...byArea].map(([area, v]) => ({ area, ...v })).sort((a, b) => b.issued - a.issued),
    byServicePoint: byPoint.map((r) => ({ id: String(r.id), name: names.get(String(r.id)) ?? String(r.id), receipts: asNumber(r.n) })),
    overTime: [...days].map(([day, v]) => ({ day, ...v })),
  };
}

/**
 * The work waiting for someone, always current (small index reads). A device is quiet when it has
 * sent no receipt (or, never having sent one, was enrolled) more than `quietDays` days ago.
 *
 * @example
 * const work = await readDashboardWork(ctx, { quietDays: 7 });
 */
export async function readDashboardWork(ctx: ServerContext, options: { quietDays?: number } = {}): Promise<DashboardWork> {
  const quietDays = options.quietDays ?? 7;
  const cutoff = new Date(ctx.now().getTime() - quietDays * 86_400_000);
  const [pendingApprovals, openGrievances, openDoubleRedemptions, devices] = await Promise.all([
    ctx.db.cycle.count({ where: { state: "submitted" } }),
    ctx.db.grievance.count({ where: { status: "open" } }),
    ctx.db.receipt.count({ where: { doubleRedemption: true, doubleResolution: null } }),
    queryRows<Record<string, unknown>>(
      ctx,
      () =>
        `SELECT d."id", d."label", d."servicePointId", d."enrolledAt", (SELECT max(r."receivedAt") FROM "Receipt" r WHERE r."device" = d."id") AS "lastReceipt" ` +
        `FROM "Device" d WHERE d."revokedAt" IS NULL`,
    ),
  ]);
  const quietDevices = devices
    .map((d) => ({
      id: String(d.id),
      label: (d.label as string | null) ?? null,
      servicePoint: String(d.servicePointId),
      lastSeen: d.lastReceipt ? asDate(d.lastReceipt) : asDate(d.enrolledAt),
    }))
    .filter((d) => d.lastSeen < cutoff)
    .sort((a, b) => a.lastSeen.getTime() - b.lastSeen.getTime());
  return { pendingApprovals, openGrievances, openDoubleRedemptions, quietDevices, quietDays };
}

/**
 * The dashboard's figures (cached, see the module comment) and the work waiting.
 *
 * @example
 * const { figures, at, work } = await readDashboard(ctx);
 * figures.cycles[0].valueRedeemed; work.pendingApprovals;
 */
export async function readDashboard(ctx: ServerContext, options: { quietDays?: number } = {}) {
  const [figures, work] = await Promise.all([readThrough(ctx, "dashboard", () => computeFigures(ctx), { maxAgeMs: 60_000 }), readDashboardWork(ctx, options)]);
  return { figures: figures.value, at: figures.at, work };
}
