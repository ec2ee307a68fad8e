import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { readServicePoints } from "@/server/verifier/read-service-points";
import { readAreaNames } from "@/server/areas/read-area-names";
import { saveAreaListAction } from "@/app/actions";
import { ServicePointForms } from "./service-point-forms";

export default async function ServicePointsPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  const { t, locale } = await pageI18n();
  const { error } = await searchParams;
  const ctx = getServerContext();
  const points = await readServicePoints(ctx);
  const areas = await readAreaNames(ctx);
  const labels = {
    id: t("servicePoints.id"),
    name: t("servicePoints.name"),
    area: t("programmes.area"),
    programmes: t("servicePoints.programmes"),
    save: t("servicePoints.save"),
    setupCode: t("servicePoints.setupCode"),
    setupHelp: t("servicePoints.setupHelp"),
    setupExpires: t("servicePoints.setupExpires"),
    setupQr: t("servicePoints.setupQr"),
    failed: t("errors.ERR_INTERNAL"),
  };
  return (
    <>
      <h1>{t("servicePoints.title")}</h1>
      {error ? <p className="error" role="alert">{t(`errors.${error}`)}</p> : null}
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
              <td>{p.area ? `${areas.get(p.area) ?? ""} ${p.area}`.trim() : ""}</td>
              <td className="mono">{p.programmes.join(", ")}</td>
              <td>{p.devices}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ServicePointForms csrf={session.csrfToken} points={points.map((p) => p.id)} labels={labels} locale={locale} />
      <form className="card" action={saveAreaListAction}>
        <h2>{t("areas.title")}</h2>
        <p className="muted">{t("areas.help")}</p>
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <textarea name="areas" aria-label={t("areas.title")} rows={6} cols={50} defaultValue={["code,name", ...[...areas].map(([code, name]) => `${code},${name}`)].join("\n")} />
        <br />
        <button type="submit">{t("areas.save")}</button>
      </form>
    </>
  );
}
