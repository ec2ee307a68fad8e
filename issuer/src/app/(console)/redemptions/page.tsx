import Link from "next/link";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { formatters } from "@/server/web/format";
import { RedemptionFilter, readRedemptions } from "@/server/redemptions/read-redemptions";
import { Pager } from "@/app/(console)/pager";
import { DataTable, DateRangeFilter, RefCell, ServicePointFilter } from "@/app/(console)/table";
import { readServicePointChoices } from "@/server/verifier/read-service-points";

const day = (d: Date) => d.toISOString().slice(0, 10);

/** Every hand-over the service points reported, newest first, over a date range, with links to the cycle and the point's settlement. */
export default async function RedemptionsPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  await requirePageSession();
  const { t, locale } = await pageI18n();
  const f = formatters(locale);
  const ctx = getServerContext();
  const raw = await searchParams;
  const today = ctx.now();
  const defaults = { from: day(new Date(today.getTime() - 30 * 86_400_000)), to: day(today) };
  const parsed = RedemptionFilter.safeParse({ ...defaults, ...Object.fromEntries(Object.entries(raw).filter(([, v]) => v)) });
  const filter = parsed.success ? parsed.data : RedemptionFilter.parse(defaults);
  const page = await readRedemptions(ctx, filter);
  const points = await readServicePointChoices(ctx);
  const handed = (r: (typeof page.rows)[number]) => {
    const p = page.programmes.get(r.programme);
    return r.amount ? f.money(r.amount, p?.currency) : f.quantity(r.quantity, p?.unit);
  };
  return (
    <>
      <h1>{t("redemptions.title")}</h1>
      {!parsed.success ? <p className="error">{t("errors.ERR_BAD_REQUEST")}</p> : null}
      <form method="get" className="card filters" role="search" aria-label={t("redemptions.filters")}>
        <div className="row">
          <DateRangeFilter from={filter.from} to={filter.to} t={t} required />
          <ServicePointFilter label={t("redemptions.servicePoint")} empty={t("filters.any")} points={points} value={filter.servicePoint} />
          <button type="submit">{t("filters.apply")}</button>
        </div>
      </form>
      <DataTable testId="redemptions" head={[t("redemptions.when"), t("people.ref"), t("approvals.cycle"), t("redemptions.servicePoint"), t("redemptions.amount"), t("redemptions.double")]}>
          {page.rows.map((r) => (
            <tr key={r.id}>
              <td>{f.dateTime(r.redeemedAt)}</td>
              <RefCell beneficiaryRef={r.beneficiaryRef} />
              <td>{r.cycleId ? <Link href={`/cycles/${r.cycleId}`}>{`${page.programmes.get(r.programme)?.name ?? r.programme} · ${r.cycleCode}`}</Link> : `${r.programme} · ${r.cycleCode}`}</td>
              <td>
                <Link href={`/settlement?servicePoint=${encodeURIComponent(r.servicePoint)}&from=${filter.from}&to=${filter.to}`}>{page.servicePointNames.get(r.servicePoint) ?? r.servicePoint}</Link>
              </td>
              <td>{handed(r)}</td>
              <td className={r.doubleRedemption ? "error" : ""}>{r.doubleRedemption ? t("filters.yes") : t("filters.no")}</td>
            </tr>
          ))}
      </DataTable>
      {page.rows.length === 0 ? <p className="muted">{t("filters.none")}</p> : null}
      <Pager path="/redemptions" query={{ from: filter.from, to: filter.to, servicePoint: filter.servicePoint, cycleId: filter.cycleId, after: filter.after }} cursorName="after" next={page.next} t={t} />
    </>
  );
}
