import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { getServerContext } from "@/server/context";
import { redemptionStats } from "@/server/verifier/redemption-stats";

/** Issued vs redeemed per cycle and hand-overs per service point, as plain HTML/CSS bar charts. */
export default async function RedemptionsPage() {
  await requirePageSession();
  const { t } = await pageI18n();
  const { cycles, servicePoints } = await redemptionStats(getServerContext());
  const maxPoint = Math.max(1, ...servicePoints.map((p) => p.receipts));
  return (
    <>
      <h1>{t("redemptions.title")}</h1>
      <h2>{t("redemptions.byCycle")}</h2>
      <table>
        <thead>
          <tr>
            <th>{t("programmes.cycles")}</th>
            <th>{t("redemptions.issued")}</th>
            <th>{t("redemptions.redeemed")}</th>
            <th>{t("redemptions.double")}</th>
            <th style={{ width: "40%" }} />
          </tr>
        </thead>
        <tbody>
          {cycles.map((c) => (
            <tr key={c.cycleId}>
              <td>
                {c.programme} · {c.cycle}
              </td>
              <td>{c.issued}</td>
              <td>{c.redeemed}</td>
              <td className={c.doubleRedemptions ? "error" : ""}>{c.doubleRedemptions}</td>
              <td>
                <div className="bar" role="img" aria-label={`${c.redeemed} / ${c.issued}`}>
                  <span style={{ inlineSize: `${c.issued ? (100 * Math.min(c.redeemed, c.issued)) / c.issued : 0}%` }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("redemptions.byServicePoint")}</h2>
      <table>
        <thead>
          <tr>
            <th>{t("redemptions.servicePoint")}</th>
            <th>{t("redemptions.receipts")}</th>
            <th>{t("redemptions.redeemed")}</th>
            <th>{t("redemptions.double")}</th>
            <th style={{ width: "40%" }} />
          </tr>
        </thead>
        <tbody>
          {servicePoints.map((p) => (
            <tr key={p.servicePoint}>
              <td>
                {p.name} <span className="muted mono">{p.servicePoint}</span>
              </td>
              <td>{p.receipts}</td>
              <td>{p.entitlements}</td>
              <td className={p.doubleRedemptions ? "error" : ""}>{p.doubleRedemptions}</td>
              <td>
                <div className="bar" role="img" aria-label={String(p.receipts)}>
                  <span style={{ inlineSize: `${(100 * p.receipts) / maxPoint}%` }} />
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
