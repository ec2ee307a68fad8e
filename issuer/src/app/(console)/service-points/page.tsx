import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { readServicePoints } from "@/server/verifier/read-service-points";
import { ServicePointForms } from "./service-point-forms";

export default async function ServicePointsPage() {
  const session = await requirePageSession();
  const { t } = await pageI18n();
  const points = await readServicePoints(getServerContext());
  const labels = {
    id: t("servicePoints.id"),
    name: t("servicePoints.name"),
    area: t("programmes.area"),
    programmes: t("servicePoints.programmes"),
    save: t("servicePoints.save"),
    setupCode: t("servicePoints.setupCode"),
    setupHelp: t("servicePoints.setupHelp"),
    failed: t("errors.ERR_INTERNAL"),
  };
  return (
    <>
      <h1>{t("servicePoints.title")}</h1>
      <table>
        <thead>
          <tr>
            <th>{labels.id}</th>
            <th>{labels.name}</th>
            <th>{labels.area}</th>
            <th>{labels.programmes}</th>
            <th>{t("servicePoints.devices")}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.id}>
              <td className="mono">{p.id}</td>
              <td>{p.name}</td>
              <td>{p.area ?? ""}</td>
              <td className="mono">{p.programmes.join(", ")}</td>
              <td>{p.devices}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ServicePointForms csrf={session.csrfToken} points={points.map((p) => p.id)} labels={labels} />
    </>
  );
}
