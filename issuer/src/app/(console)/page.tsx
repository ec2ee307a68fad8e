import Link from "next/link";
import { getServerContext } from "@/server/context";
import { consolePage } from "@/server/web/page-session";
import { readDashboard } from "@/server/dashboard/read-dashboard";
import { renderChart, type ChartSeries } from "./charts";
import { ChartFigure } from "./chart-figure";
import { PageHeader } from "@/app/(console)/table";

/**
 * The front page: issued, delivered and redeemed over time, by cycle, by area and by service point,
 * value redeemed against value issued, and the work waiting (approvals, grievances, double
 * redemptions, devices not heard from).
 */
export default async function Dashboard({ searchParams }: { searchParams: Promise<{ days?: string; error?: string }> }) {
  const { session: { actor }, t, dir, f } = await consolePage();
  const q = await searchParams;
  const quietDays = Math.min(365, Math.max(1, Number(q.days) || 7));
  const { figures, at, work } = await readDashboard(getServerContext(), { quietDays });
  const rtl = dir === "rtl";
  const chart = (id: string, title: string, kind: "bar" | "line", categories: string[], series: ChartSeries[], options: { horizontal?: boolean; format?: (n: number) => string } = {}) => {
    const format = options.format ?? f.count;
    const description = t("dashboard.chartDescription", { title, n: categories.length });
    return (
      <ChartFigure
        id={id}
        title={title}
        svg={renderChart({ kind, categories, series, description, rtl, horizontal: options.horizontal, format, height: options.horizontal ? Math.max(200, 40 + categories.length * 28) : 280 })}
        categories={categories}
        series={series}
        format={format}
        figuresLabel={t("dashboard.figures")}
        categoryLabel={t("dashboard.category")}
      />
    );
  };
  const names = { issued: t("dashboard.issued"), delivered: t("dashboard.delivered"), redeemed: t("dashboard.redeemed") };
  const cycles = [...figures.cycles].reverse();
  const cycleLabel = (c: (typeof cycles)[number]) => `${c.programme} · ${c.code}`;
  const units = [...new Set(cycles.filter((c) => c.kind !== "none").map((c) => c.unit))];
  const areas = figures.byArea.slice(0, 15);
  const points = figures.byServicePoint.slice(0, 15);
  return (
    <>
      <PageHeader title={t("nav.dashboard")} error={q.error} t={t} />
      <p className="muted">{t("dashboard.signedInAs", { name: actor.name, roles: actor.roles.map((r) => t(`users.role.${r}`)).join(", ") })}</p>
      <section aria-labelledby="work-title">
        <h2 id="work-title">{t("dashboard.work")}</h2>
        <div className="stats">
          <Link className="stat" href="/approvals" data-testid="pending-approvals">
            {t("dashboard.pendingApprovals")}
            <b>{f.count(work.pendingApprovals)}</b>
          </Link>
          <Link className="stat" href="/grievances?status=open" data-testid="open-grievances">
            {t("dashboard.openGrievances")}
            <b>{f.count(work.openGrievances)}</b>
          </Link>
          <Link className="stat" href="/settlement" data-testid="open-doubles">
            {t("dashboard.openDoubles")}
            <b>{f.count(work.openDoubleRedemptions)}</b>
          </Link>
          <div className="stat" data-testid="quiet-devices">
            {t("dashboard.quietDevices", { days: quietDays })}
            <b>{f.count(work.quietDevices.length)}</b>
          </div>
        </div>
        {work.quietDevices.length ? (
          <ul>
            {work.quietDevices.slice(0, 20).map((d) => (
              <li key={d.id}>
                {d.label ?? d.id} · {d.servicePoint} · {t("dashboard.lastSeen", { at: f.dateTime(d.lastSeen) })}
              </li>
            ))}
          </ul>
        ) : null}
        <form method="get" className="row">
          <label>
            {t("dashboard.quietAfter")}
            <input type="number" name="days" min={1} max={365} defaultValue={quietDays} size={4} />
          </label>
          <button type="submit" className="secondary">
            {t("filters.apply")}
          </button>
        </form>
      </section>
      <section aria-labelledby="figures-title">
        <h2 id="figures-title">{t("dashboard.figuresTitle")}</h2>
        <div className="stats">
          <div className="stat">
            {t("dashboard.beneficiaries")}
            <b>{f.count(figures.beneficiaries)}</b>
          </div>
          <div className="stat">
            {t("dashboard.programmes")}
            <b>{f.count(figures.programmes)}</b>
          </div>
          <div className="stat">
            {t("dashboard.issued")}
            <b data-testid="issued-total">{f.count(figures.cycles.reduce((a, c) => a + c.issued, 0))}</b>
          </div>
          <div className="stat">
            {t("dashboard.redeemed")}
            <b>{f.count(figures.cycles.reduce((a, c) => a + c.redeemed, 0))}</b>
          </div>
        </div>
        <p className="muted">{t("common.countedAt", { at: f.dateTime(at) })}</p>
        <div className="charts">
          {chart(
            "over-time",
            t("dashboard.overTime", { days: figures.overTime.length }),
            "line",
            figures.overTime.map((d) => f.date(new Date(`${d.day}T00:00:00Z`))),
            [
              { name: names.issued, data: figures.overTime.map((d) => d.issued) },
              { name: names.delivered, data: figures.overTime.map((d) => d.delivered) },
              { name: names.redeemed, data: figures.overTime.map((d) => d.redeemed) },
            ],
          )}
          {chart("by-cycle", t("dashboard.byCycle"), "bar", cycles.map(cycleLabel), [
            { name: names.issued, data: cycles.map((c) => c.issued) },
            { name: names.delivered, data: cycles.map((c) => c.delivered) },
            { name: names.redeemed, data: cycles.map((c) => c.redeemed) },
          ])}
          {units.map((unit) => {
            const of = cycles.filter((c) => c.unit === unit);
            const money = /^[A-Z]{3}$/.test(unit);
            return (
              <div key={unit}>
                {chart(
                  `value-${unit}`,
                  t("dashboard.value", { unit }),
                  "bar",
                  of.map(cycleLabel),
                  [
                    { name: t("dashboard.valueIssued"), data: of.map((c) => Number(c.valueIssued)) },
                    { name: t("dashboard.valueRedeemed"), data: of.map((c) => Number(c.valueRedeemed)) },
                  ],
                  { format: (n) => (money ? f.money(n, unit) : f.quantity(n, unit)) },
                )}
              </div>
            );
          })}
          {chart(
            "by-area",
            t("dashboard.byArea"),
            "bar",
            areas.map((a) => a.area || t("people.noArea")),
            [
              { name: names.issued, data: areas.map((a) => a.issued) },
              { name: names.redeemed, data: areas.map((a) => a.redeemed) },
            ],
            { horizontal: true },
          )}
          {chart("by-point", t("dashboard.byServicePoint"), "bar", points.map((p) => p.name), [{ name: t("redemptions.receipts"), data: points.map((p) => p.receipts) }], { horizontal: true })}
        </div>
      </section>
    </>
  );
}
