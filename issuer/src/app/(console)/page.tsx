import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { readDashboard } from "@/server/dashboard/read-dashboard";

export default async function Dashboard() {
  const { actor } = await requirePageSession();
  const { t } = await pageI18n();
  const { figures } = await readDashboard(getServerContext());
  const { beneficiaries, programmes } = figures;
  const cycles = figures.cycles.length;
  const issued = figures.cycles.reduce((a, c) => a + c.issued, 0);
  return (
    <>
      <h1>{t("nav.dashboard")}</h1>
      <p className="muted">{t("dashboard.signedInAs", { name: actor.name, roles: actor.roles.map((r) => t(`users.role.${r}`)).join(", ") })}</p>
      <div className="stats">
        <div className="stat">
          {t("dashboard.beneficiaries")}
          <b>{beneficiaries}</b>
        </div>
        <div className="stat">
          {t("dashboard.programmes")}
          <b>{programmes}</b>
        </div>
        <div className="stat">
          {t("dashboard.cycles")}
          <b>{cycles}</b>
        </div>
        <div className="stat">
          {t("dashboard.issued")}
          <b>{issued}</b>
        </div>
      </div>
    </>
  );
}
