/**
 * The console's downloads, each checked against the reader's role and recorded in the audit log
 * (who took which list out of the system, and with which filter): a cycle's frozen list (what the
 * approver approves), a cycle's entitlements as filtered on its page, a settlement, the audit log.
 * Column headers are in the reader's language; the rows are streamed (./table-export.ts).
 */
import { createTranslator, type Locale } from "@haki/i18n";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { frozenSetPages, type FrozenMember } from "@/server/cycles/frozen-set";
import { CycleListFilter, readCycleEntitlements, type CycleRow } from "@/server/cycles/read-cycle-entitlements";
import { auditPages, AuditFilter, type AuditRow } from "@/server/audit/read-audit-log";
import { readSettlement, type SettlementPeriod } from "@/server/settlement/read-settlement";
import { SETTLEMENT_HEADERS, settlementSummary, settlementTable, type SettlementHeader } from "@/server/settlement/settlement-receipts";
import type { ExportColumn, ExportSummary, ExportTable } from "./table-export";

/** What a route needs to answer a download. */
export interface ConsoleExport<T> {
  table: ExportTable<T>;
  fileName: string;
  summary?: ExportSummary;
}

/**
 * A list of a cycle's people, file `<kind>-<programme>-<cycle>`: reference, name and area first,
 * then `columns`, the rows a page at a time from `pages`.
 */
function cyclePeopleExport<R extends { ref: string; displayName: string | null; area: string | null }>(
  cycle: { code: string; programme: { code: string } },
  t: ReturnType<typeof createTranslator>,
  list: { kind: string; name: string; columns: ExportColumn<R>[]; pages: () => AsyncIterable<R[]> },
): ConsoleExport<R> {
  return {
    fileName: `${list.kind}-${cycle.programme.code}-${cycle.code}`,
    table: {
      name: list.name,
      columns: [
        { header: t("people.ref"), value: (r) => r.ref, width: 16 },
        { header: t("people.name"), value: (r) => r.displayName, width: 28 },
        { header: t("people.area"), value: (r) => r.area },
        ...list.columns,
      ],
      pages: list.pages,
    },
  };
}

async function record(ctx: ServerContext, actor: Actor, action: string, subject: string | null, details: Record<string, unknown>): Promise<void> {
  await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: actor.id, action, subject, details }));
}

/**
 * A cycle's frozen list, as the approver downloads it before approving: one row per person, in
 * the order its digest covers (SHA-256 of each reference followed by a newline).
 *
 * @example
 * const { table, fileName } = await exportFrozenList(ctx, cycleId, actor, "fr");
 */
export async function exportFrozenList(ctx: ServerContext, cycleId: string, actor: Actor, locale: Locale): Promise<ConsoleExport<FrozenMember>> {
  const cycle = await ctx.db.cycle.findUnique({ where: { id: cycleId }, include: { programme: true } });
  if (!cycle || !cycle.frozenDigest) throw new ApiError("ERR_NOT_FOUND", "This cycle has no frozen list.");
  const t = createTranslator(locale, "issuer");
  await record(ctx, actor, "cycle.download_list", cycle.id, { count: cycle.frozenCount, digest: cycle.frozenDigest });
  const perPerson = cycle.programme.benefitType === "inkind" ? cycle.quantity : cycle.amount;
  return cyclePeopleExport<FrozenMember>(cycle, t, {
    kind: "list",
    name: t("exports.list"),
    columns: [
      { header: t("people.householdSize"), value: (m) => m.householdSize },
      { header: t("cycles.perPerson"), value: () => (perPerson === null ? null : Number(perPerson)) },
    ],
    // A page at a time from the database: a million-person list never sits in memory.
    pages: () => frozenSetPages(ctx, cycle.id),
  });
}

/**
 * A cycle's entitlements with the cycle page's filters (no search), for the office's own lists.
 *
 * @example
 * const { table } = await exportCycleEntitlements(ctx, cycleId, { area: "KE-047", delivered: "no" }, actor, "en");
 */
export async function exportCycleEntitlements(ctx: ServerContext, cycleId: string, filter: CycleListFilter, actor: Actor, locale: Locale): Promise<ConsoleExport<CycleRow>> {
  const cycle = await ctx.db.cycle.findUnique({ where: { id: cycleId }, include: { programme: true } });
  if (!cycle) throw new ApiError("ERR_NOT_FOUND", "No such cycle.");
  const f = CycleListFilter.parse({ ...filter, q: undefined, after: undefined });
  const t = createTranslator(locale, "issuer");
  await record(ctx, actor, "entitlements.export", cycle.id, { filter: { status: f.status, area: f.area, delivered: f.delivered, redeemed: f.redeemed } });
  return cyclePeopleExport<CycleRow>(cycle, t, {
    kind: "entitlements",
    name: t("cycles.entitlements"),
    columns: [
      { header: t("cycles.state"), value: (r) => t(`entitlementStatus.${r.status}`) },
      { header: t("delivery.phone"), value: (r) => (r.delivery.phone ? t(`delivery.states.${r.delivery.phone}`) : "") },
      { header: t("delivery.paper"), value: (r) => r.delivery.printedAt?.toISOString().slice(0, 10) ?? "" },
      { header: t("redemptions.redeemed"), value: (r) => (r.redeemed ? t("filters.yes") : t("filters.no")) },
      { header: t("cycles.issuedAt"), value: (r) => r.issuedAt?.toISOString() ?? "" },
    ],
    pages: async function* () {
      for (let after: string | undefined; ; ) {
        const page = await readCycleEntitlements(ctx, cycle.id, { ...f, after }, { pageSize: 2000 });
        if (page.rows.length) yield page.rows;
        if (!page.next) return;
        after = page.next;
      }
    },
  });
}

/**
 * A service point's settlement for a period with every signed receipt (a million rows stream).
 *
 * @example
 * const { table, summary } = await exportSettlement(ctx, { servicePoint, from, to }, actor, "en");
 */
export async function exportSettlement(ctx: ServerContext, period: SettlementPeriod, actor: Actor, locale: Locale) {
  requireRole(actor, "officer", "approver", "auditor", "admin");
  const s = await readSettlement(ctx, period);
  const t = createTranslator(locale, "issuer");
  const headers = Object.fromEntries(SETTLEMENT_HEADERS.map((h) => [h, t(`settlement.columns.${h}`)])) as Record<SettlementHeader, string>;
  await record(ctx, actor, "settlement.export", s.servicePoint.id, { from: s.period.from, to: s.period.to });
  return { fileName: `settlement-${s.servicePoint.id}-${s.period.from}-${s.period.to}`, table: settlementTable(ctx, s, headers), summary: settlementSummary(s, headers) };
}

/**
 * The audit log as filtered on its page (auditors and administrators).
 *
 * @example
 * const { table } = await exportAuditLog(ctx, { action: "entitlement.revoke" }, actor, "en");
 */
export async function exportAuditLog(ctx: ServerContext, filter: AuditFilter, actor: Actor, locale: Locale): Promise<ConsoleExport<AuditRow>> {
  requireRole(actor, "auditor", "admin");
  const f = AuditFilter.parse(filter);
  const t = createTranslator(locale, "issuer");
  await record(ctx, actor, "audit.export", null, { filter: f });
  return {
    fileName: "audit-log",
    table: {
      name: t("audit.title"),
      columns: [
        { header: t("audit.seq"), value: (e) => e.seq },
        { header: t("audit.at"), value: (e) => e.at.toISOString(), width: 26 },
        { header: t("audit.actor"), value: (e) => e.actor ?? "" },
        { header: t("audit.action"), value: (e) => e.action },
        { header: t("audit.subject"), value: (e) => e.subjectLabel ?? "" },
        { header: t("audit.details"), value: (e) => e.details, width: 60 },
        { header: t("audit.hash"), value: (e) => e.hash, width: 66 },
      ],
      pages: () => auditPages(ctx, f),
    },
  };
}
