import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { formatWhen } from "@/server/web/format-when";
import { hasRole } from "@/server/auth/roles";
import { readServicePoints } from "@/server/verifier/read-service-points";
import { readAreaNames } from "@/server/areas/read-area-names";
import { readDevices } from "@/server/verifier/devices";
import { revokeDeviceAction, saveAreaListAction, setServicePointEnabledAction } from "@/app/actions";
import { ServicePointForms } from "./service-point-forms";
import { DataTable, PageHeader } from "@/app/(console)/table";
import { labelsOf } from "@/app/(console)/labels";

export default async function ServicePointsPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  const { t, locale } = await pageI18n();
  const { error } = await searchParams;
  const ctx = getServerContext();
  const [points, devices] = await Promise.all([readServicePoints(ctx), readDevices(ctx)]);
  const canRevoke = hasRole(session.actor, "admin", "officer");
  const when = formatWhen(locale, t("users.never"));
  const areas = await readAreaNames(ctx);
  const labels = {
    ...labelsOf(t, "servicePoints", ["id", "name", "programmes", "save", "setupCode", "setupHelp", "setupExpires", "setupQr"]),
    area: t("programmes.area"),
    failed: t("errors.ERR_INTERNAL"),
  };
  return (
    <>
      <PageHeader title={t("servicePoints.title")} error={error} t={t} />
      <DataTable head={[labels.id, labels.name, labels.area, labels.programmes, t("servicePoints.devices"), t("users.state")]}>
          {points.map((p) => (
            <tr key={p.id} data-point={p.id} data-disabled={p.disabledAt ? "yes" : "no"}>
              <td className="mono">{p.id}</td>
              <td>{p.name}</td>
              <td>{p.area ? `${areas.get(p.area) ?? ""} ${p.area}`.trim() : ""}</td>
              <td className="mono">{p.programmes.join(", ")}</td>
              <td>{p.devices}</td>
              <td>
                {p.disabledAt ? <span className="error">{t("servicePoints.disabledOn", { date: when(p.disabledAt) })}</span> : t("servicePoints.inService")}
                {canRevoke ? (
                  <form action={setServicePointEnabledAction} className="row">
                    <input type="hidden" name="csrf" value={session.csrfToken} />
                    <input type="hidden" name="servicePointId" value={p.id} />
                    {p.disabledAt ? (
                      <button className="secondary" name="intent" value="enable" type="submit">
                        {t("servicePoints.enable")}
                      </button>
                    ) : (
                      <>
                        <input name="reason" required maxLength={200} placeholder={t("users.reason")} aria-label={t("users.reason")} />
                        <button className="danger" name="intent" value="disable" type="submit">
                          {t("servicePoints.disable")}
                        </button>
                      </>
                    )}
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
      </DataTable>
      <ServicePointForms points={points.filter((p) => !p.disabledAt).map((p) => p.id)} locale={locale} labels={labels} />
      <h2>{t("servicePoints.devices")}</h2>
      <DataTable head={[t("servicePoints.deviceId"), labels.id, t("servicePoints.enrolled"), t("servicePoints.lastSeen"), t("users.state")]}>
          {devices.map((d) => (
            <tr key={d.id} data-device={d.id} data-revoked={d.revokedAt ? "yes" : "no"}>
              <td>
                <span className="mono">{d.id}</span>
                {d.label ? <div className="muted">{d.label}</div> : null}
              </td>
              <td className="mono">{d.servicePointId}</td>
              <td>{when(d.enrolledAt)}</td>
              <td>{when(d.lastSeenAt)}</td>
              <td>
                {d.revokedAt ? (
                  <span className="error">{t("servicePoints.revokedOn", { date: when(d.revokedAt), reason: d.revokeReason ?? "" })}</span>
                ) : (
                  <>
                    {t("servicePoints.inUse")}
                    {canRevoke ? (
                      <form action={revokeDeviceAction} className="row">
                        <input type="hidden" name="csrf" value={session.csrfToken} />
                        <input type="hidden" name="deviceId" value={d.id} />
                        <input name="reason" required maxLength={200} placeholder={t("servicePoints.revokeReason")} aria-label={t("servicePoints.revokeReason")} />
                        <button className="danger" type="submit">
                          {t("servicePoints.revoke")}
                        </button>
                      </form>
                    ) : null}
                  </>
                )}
              </td>
            </tr>
          ))}
      </DataTable>
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
