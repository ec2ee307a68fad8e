import { redirect } from "next/navigation";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { readAuditLog, type AuditRow } from "@/server/audit/read-audit-log";
import { describeStatusReason } from "@/server/status/status-reasons";

export default async function AuditPage() {
  const { actor } = await requirePageSession();
  if (!hasRole(actor, "auditor", "admin")) redirect("/?error=ERR_FORBIDDEN");
  const { t } = await pageI18n();
  const { check, events } = await readAuditLog(getServerContext());
  // A bulk status change lists every credential it touched (up to 20,000 ids): the page shows
  // how many, the scope and the reason; the full list stays in the log and its exports.
  const detailsText = (e: AuditRow): string => {
    if (!e.bulk) return e.details;
    const { code, note } = describeStatusReason(e.bulk.reason ?? "");
    const reason = code ? [t(`bulkStatus.reasons.${code}`), note].filter(Boolean).join(" — ") : note;
    return [t("audit.credentials", { n: e.bulk.credentials }), e.bulk.scope, reason].filter(Boolean).join(" · ");
  };
  return (
    <>
      <h1>{t("audit.title")}</h1>
      {check.ok ? (
        <p className="ok">✓ {t("audit.verified", { count: check.count })}</p>
      ) : (
        <p className="error" role="alert">
          {t("audit.broken", { seq: check.brokenAt, reason: check.reason })}
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>{t("audit.seq")}</th>
            <th>{t("audit.at")}</th>
            <th>{t("audit.actor")}</th>
            <th>{t("audit.action")}</th>
            <th>{t("audit.subject")}</th>
            <th>{t("audit.hash")}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{e.at.toISOString().replace("T", " ").slice(0, 19)}</td>
              <td>{e.actor ?? "—"}</td>
              <td title={e.action}>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</td>
              <td className="mono">
                {e.subject}
                {e.details !== "{}" ? <div className="muted">{detailsText(e)}</div> : null}
              </td>
              <td className="mono" title={e.hash}>
                {e.hash.slice(0, 12)}…
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
