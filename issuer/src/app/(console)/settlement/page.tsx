import Link from "next/link";
import { getServerContext } from "@/server/context";
import { consolePage } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { SettlementPeriod, readSettlement } from "@/server/settlement/read-settlement";
import { readSettlementReceipts } from "@/server/settlement/settlement-receipts";
import { ApiError } from "@/server/api/errors";
import { Pager } from "@/app/(console)/pager";
import { ResolveDouble } from "./resolve-double";
import { DataTable, DateRangeFilter, RefCell, ServicePointFilter } from "@/app/(console)/table";
import { readServicePointChoices } from "@/server/verifier/read-service-points";

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * What finance pays a service point for a period: the value handed over per programme and cycle
 * (money, or a quantity in kind), double redemptions held back until resolved, the signed receipts
 * as evidence, and the CSV and spreadsheet exports.
 */
export default async function SettlementPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { session, t, f } = await consolePage();
  const ctx = getServerContext();
  const q = await searchParams;
  const now = ctx.now();
  const points = await readServicePointChoices(ctx);
  const monthStart = `${day(now).slice(0, 8)}01`;
  const input = { servicePoint: q.servicePoint ?? "", from: q.from || monthStart, to: q.to || day(now) };
  const period = SettlementPeriod.safeParse(input);
  let settlement: Awaited<ReturnType<typeof readSettlement>> | null = null;
  let problem: string | null = null;
  if (q.servicePoint) {
    if (!period.success) problem = "ERR_BAD_REQUEST";
    else
      settlement = await readSettlement(ctx, period.data).catch((e: unknown) => {
        if (e instanceof ApiError) {
          problem = e.code;
          return null;
        }
        throw e;
      });
  }
  const [doubles, receipts] = settlement
    ? await Promise.all([readSettlementReceipts(ctx, input, { doubles: true, pageSize: 100 }), readSettlementReceipts(ctx, input, { after: q.after })])
    : [null, null];
  const value = (v: string, kind: string, unit: string) => (kind === "money" ? f.money(v, unit) : f.quantity(v, unit));
  const exportHref = (format: string) => `/api/settlement/export?${new URLSearchParams({ ...input, format }).toString()}`;
  const caseworker = hasRole(session.actor, "officer", "approver");
  return (
    <>
      <h1>{t("settlement.title")}</h1>
      <form method="get" className="card filters" aria-label={t("settlement.choose")}>
        <div className="row">
          <ServicePointFilter label={t("redemptions.servicePoint")} empty={t("settlement.pick")} points={points} value={input.servicePoint} required />
          <DateRangeFilter from={input.from} to={input.to} t={t} required />
          <button type="submit">{t("settlement.show")}</button>
        </div>
      </form>
      {problem ? (
        <p className="error" role="alert">
          {t(`errors.${problem}`)}
        </p>
      ) : null}
      {settlement ? (
        <>
          <h2>
            {settlement.servicePoint.name} · {f.date(new Date(`${settlement.period.from}T00:00:00Z`))} – {f.date(new Date(`${settlement.period.to}T00:00:00Z`))}
          </h2>
          <DataTable testId="settlement" head={[t("approvals.cycle"), t("redemptions.receipts"), t("settlement.toPay"), t("settlement.held"), t("settlement.withheld")]}>
              {settlement.lines.map((l) => (
                <tr key={`${l.programme}|${l.cycleCode}`} data-payable={l.payable.value}>
                  <td>{l.cycleId ? <Link href={`/cycles/${l.cycleId}`}>{`${l.programmeName} · ${l.cycleCode}`}</Link> : `${l.programmeName} · ${l.cycleCode}`}</td>
                  <td>{f.count(l.receipts)}</td>
                  <td>
                    <strong>{value(l.payable.value, l.kind, l.unit)}</strong>
                    {l.kind === "quantity" && l.item ? ` ${l.item}` : ""} ({f.count(l.payable.receipts)})
                  </td>
                  <td>
                    {value(l.held.value, l.kind, l.unit)} ({f.count(l.held.receipts)})
                  </td>
                  <td>
                    {value(l.withheld.value, l.kind, l.unit)} ({f.count(l.withheld.receipts)})
                  </td>
                </tr>
              ))}
          </DataTable>
          {settlement.lines.length === 0 ? <p className="muted">{t("settlement.nothing")}</p> : null}
          <p className="muted">{t("common.countedAt", { at: f.dateTime(settlement.countedAt) })}</p>
          <p className="row">
            <a href={exportHref("csv")} download data-testid="export-csv">
              {t("exports.csv")}
            </a>
            <a href={exportHref("xlsx")} download data-testid="export-xlsx">
              {t("exports.xlsx")}
            </a>
          </p>
          <h2>{t("settlement.doubles")}</h2>
          {doubles?.rows.length ? (
            <DataTable testId="doubles" head={[t("redemptions.when"), t("people.ref"), t("redemptions.amount"), t("settlement.resolution")]}>
                {doubles.rows.map((r) => (
                  <tr key={r.id}>
                    <td>{f.dateTime(r.redeemedAt)}</td>
                    <RefCell beneficiaryRef={r.beneficiaryRef} />
                    <td>{r.amount ?? r.quantity}</td>
                    <td>
                      {r.doubleResolution ? (
                        <>
                          {t(`settlement.resolutions.${r.doubleResolution}`)} · {r.doubleResolutionNote} · {f.dateTime(r.doubleResolvedAt)}
                        </>
                      ) : caseworker ? (
                        <ResolveDouble receiptId={r.id} />
                      ) : (
                        t("settlement.open")
                      )}
                    </td>
                  </tr>
                ))}
            </DataTable>
          ) : (
            <p className="muted">{t("settlement.noDoubles")}</p>
          )}
          <h2>{t("settlement.evidence")}</h2>
          <DataTable head={[t("redemptions.when"), t("people.ref"), t("redemptions.amount"), t("settlement.device"), t("settlement.signedReceipt")]}>
              {receipts?.rows.map((r) => (
                <tr key={r.id}>
                  <td>{f.dateTime(r.redeemedAt)}</td>
                  <td className="mono">{r.beneficiaryRef}</td>
                  <td>{r.amount ?? r.quantity}</td>
                  <td className="mono">{r.device}</td>
                  <td className="mono" title={r.jws}>
                    {r.jws.slice(0, 24)}…
                  </td>
                </tr>
              ))}
          </DataTable>
          <Pager path="/settlement" query={{ ...input, after: q.after }} cursorName="after" next={receipts?.next ?? null} t={t} />
        </>
      ) : null}
    </>
  );
}
