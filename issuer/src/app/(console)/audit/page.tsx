import Link from "next/link";
import { redirect } from "next/navigation";
import { getServerContext } from "@/server/context";
import { consolePage } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { readUsers } from "@/server/auth/read-users";
import { AuditFilter, readAuditActions, readAuditLog, type AuditRow } from "@/server/audit/read-audit-log";
import { describeStatusReason } from "@/server/status/status-reasons";
import { Pager } from "@/app/(console)/pager";
import { DataTable, DateRangeFilter, SelectFilter } from "@/app/(console)/table";

/** The audit log: the chain check, then events filtered by who, what, about whom and when; subjects as people read them. */
export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { session: { actor }, t, f } = await consolePage();
  if (!hasRole(actor, "auditor", "admin")) redirect("/?error=ERR_FORBIDDEN");
  const ctx = getServerContext();
  const raw = await searchParams;
  const parsed = AuditFilter.safeParse(raw);
  const filter = parsed.success ? parsed.data : AuditFilter.parse({});
  const [{ check, events, next }, users, actions] = await Promise.all([readAuditLog(ctx, filter), readUsers(ctx), readAuditActions(ctx)]);
  // A bulk status change lists every credential it touched (up to 20,000 ids): the page shows
  // how many, the scope and the reason; the full list stays in the log and its exports.
  const detailsText = (e: AuditRow): string => {
    if (!e.bulk) return e.details;
    const { code, note } = describeStatusReason(e.bulk.reason ?? "");
    const reason = code ? [t(`bulkStatus.reasons.${code}`), note].filter(Boolean).join(" — ") : note;
    return [t("audit.credentials", { n: e.bulk.credentials }), e.bulk.scope, reason].filter(Boolean).join(" · ");
  };
  const query = { actor: filter.actor, action: filter.action, subject: filter.subject, from: filter.from, to: filter.to };
  const exportQuery = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]).toString();
  return (
    <>
      <h1>{t("audit.title")}</h1>
      {check.ok ? (
        <p className="ok">✓ {t("audit.verified", { count: check.count, n: f.count(check.count) })}</p>
      ) : (
        <p className="error" role="alert">
          {t("audit.broken", { seq: check.brokenAt, reason: check.reason })}
        </p>
      )}
      <form method="get" className="card filters" role="search" aria-label={t("audit.filters")}>
        <div className="row">
          <SelectFilter name="actor" label={t("audit.actor")} empty={t("filters.any")} value={filter.actor} options={users.map((u) => ({ value: u.id, label: `${u.name} (${u.email})` }))} />
          <SelectFilter name="action" label={t("audit.action")} empty={t("filters.any")} value={filter.action} options={actions.map((a) => ({ value: a, label: t(`audit.actions.${a}`, { defaultValue: a }) }))} />
          <label>
            {t("audit.subject")}
            <input name="subject" defaultValue={filter.subject ?? ""} placeholder={t("audit.subjectHint")} size={18} dir="ltr" />
          </label>
          <DateRangeFilter from={filter.from} to={filter.to} t={t} />
          <button type="submit">{t("filters.apply")}</button>
          <Link href="/audit">{t("filters.clear")}</Link>
        </div>
      </form>
      <p>
        <a href={`/api/audit/export?${exportQuery}`} download>
          {t("exports.csv")}
        </a>
      </p>
      <DataTable testId="audit" head={[t("audit.seq"), t("audit.at"), t("audit.actor"), t("audit.action"), t("audit.subject"), t("audit.hash")]}>
          {events.map((e) => (
            <tr key={e.seq}>
              <td>{e.seq}</td>
              <td>{f.dateTime(e.at)}</td>
              <td>{e.actor ?? t("audit.system")}</td>
              <td title={e.action}>{t(`audit.actions.${e.action}`, { defaultValue: e.action })}</td>
              <td>
                {e.subjectHref ? <Link href={e.subjectHref}>{e.subjectLabel}</Link> : <span className="mono">{e.subjectLabel}</span>}
                {e.details !== "{}" ? <div className="muted details">{detailsText(e)}</div> : null}
              </td>
              <td className="mono" title={e.hash}>
                {e.hash.slice(0, 12)}…
              </td>
            </tr>
          ))}
      </DataTable>
      {events.length === 0 ? <p className="muted">{t("filters.none")}</p> : null}
      <Pager path="/audit" query={{ ...query, before: filter.before ? String(filter.before) : undefined }} cursorName="before" next={next} t={t} />
    </>
  );
}
