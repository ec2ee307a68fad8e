import { redirect } from "next/navigation";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { describeStatusReason } from "@/server/status/status-reasons";

export default async function AuditPage() {
  const { actor } = await requirePageSession();
  if (!hasRole(actor, "auditor", "admin")) redirect("/?error=ERR_FORBIDDEN");
  const { t } = await pageI18n();
  const { db } = getServerContext();
  const [check, events] = await Promise.all([verifyAuditChain(db), db.auditEvent.findMany({ orderBy: { seq: "desc" }, take: 200 })]);
  // A bulk status change lists every credential it touched (up to 20,000 ids): the page shows
  // how many, the scope and the reason; the full list stays in the log and its exports.
  const detailsText = (raw: string): string => {
    const d = JSON.parse(raw) as { bulk?: boolean; entitlements?: unknown[]; scope?: string; reason?: string };
    if (!d.bulk || !Array.isArray(d.entitlements)) return raw;
    const { code, note } = describeStatusReason(d.reason ?? "");
    const reason = code ? [t(`bulkStatus.reasons.${code}`), note].filter(Boolean).join(" — ") : note;
    return [t("audit.credentials", { n: d.entitlements.length }), d.scope, reason].filter(Boolean).join(" · ");
  };
  const users = await db.user.findMany({ where: { id: { in: events.map((e) => e.actorId ?? "") } }, select: { id: true, name: true } });
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
              <td>{users.find((u) => u.id === e.actorId)?.name ?? e.actorId ?? "—"}</td>
              <td title={e.action}>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</td>
              <td className="mono">
                {e.subject}
                {e.details !== "{}" ? <div className="muted">{detailsText(e.details)}</div> : null}
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
