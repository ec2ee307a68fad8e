import { redirect } from "next/navigation";
import { getServerContext } from "../../../server/context";
import { pageI18n, requirePageSession } from "../../../server/web/page-session";
import { hasRole } from "../../../server/auth/roles";
import { verifyAuditChain } from "../../../server/audit/verify-audit-chain";

export default async function AuditPage() {
  const { actor } = await requirePageSession();
  if (!hasRole(actor, "auditor", "admin")) redirect("/?error=ERR_FORBIDDEN");
  const { t } = await pageI18n();
  const { db } = getServerContext();
  const [check, events] = await Promise.all([verifyAuditChain(db), db.auditEvent.findMany({ orderBy: { seq: "desc" }, take: 200 })]);
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
              <td className="mono">{e.action}</td>
              <td className="mono">
                {e.subject}
                {e.details !== "{}" ? <div className="muted">{e.details}</div> : null}
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
