import Link from "next/link";
import { notFound } from "next/navigation";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { describeRule } from "@/server/programmes/eligibility-rule";
import { readCycle } from "@/server/cycles/read-cycle";
import { readCycleEntitlements } from "@/server/cycles/read-cycle-entitlements";
import { cycleAction } from "@/app/actions";
import { JobProgress } from "./job-progress";
import { EntitlementActions } from "./entitlement-actions";
import { describeStatusReason } from "@/server/status/status-reasons";

export default async function CyclePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  const { t, locale } = await pageI18n();
  const { id } = await params;
  const { error } = await searchParams;
  const view = await readCycle(getServerContext(), id);
  if (!view) notFound();
  const { cycle, job, rule, qualify, byStatus, receipts, redeemed, doubles } = view;
  const { rows } = await readCycleEntitlements(getServerContext(), id, {});
  const actionLabels = {
    offer: t("cycles.offer"),
    suspend: t("cycles.suspend"),
    reinstate: t("cycles.reinstate"),
    revoke: t("cycles.revoke"),
    reason: t("cycles.reason"),
    link: t("cycles.link"),
    pin: t("cycles.pin"),
    failed: t("errors.ERR_INTERNAL"),
  };
  // Reasons picked from the list are stored in English; show them in the reader's language.
  const reasonText = (stored: string) => {
    const { code, note } = describeStatusReason(stored);
    return code ? [t(`bulkStatus.reasons.${code}`), note].filter(Boolean).join(" — ") : note;
  };
  const jobLabels = Object.fromEntries(["queued", "running", "completed", "failed"].map((s) => [s, t(`jobs.${s}`)]));
  const { actor } = session;
  const action = (intent: string, label: string) => (
    <form action={cycleAction}>
      <input type="hidden" name="csrf" value={session.csrfToken} />
      <input type="hidden" name="cycleId" value={cycle.id} />
      <button type="submit" name="intent" value={intent}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      <h1>
        <Link href={`/programmes/${cycle.programmeId}`}>{cycle.programme.name}</Link> · {cycle.code}
      </h1>
      {error ? <p className="error" role="alert">{t(`errors.${error}`)}</p> : null}
      <section className="card">
        <p>
          {t("cycles.state")}: <strong>{t(`cycles.${cycle.state}`)}</strong>
        </p>
        <p>
          {t("cycles.validFrom")} {cycle.validFrom.toISOString().slice(0, 10)} · {t("cycles.validUntil")} {cycle.validUntil.toISOString().slice(0, 10)}
        </p>
        <p>
          {cycle.amount ? `${t("cycles.amount")}: ${cycle.amount} ${cycle.programme.currency ?? ""}` : null}
          {cycle.quantity ? `${t("cycles.quantity")}: ${cycle.quantity} ${cycle.programme.unit ?? ""}` : null}
        </p>
        <p>
          {t("cycles.rule")}: <code>{describeRule(rule)}</code> · {t("cycles.qualify", { count: qualify })}
        </p>
        <p>
          {t("cycles.preparedBy")}: {view.preparedBy}
          {view.approvedBy ? ` · ${t("cycles.approvedBy")}: ${view.approvedBy}` : ""}
        </p>
        <div className="row">
          {cycle.state === "draft" && hasRole(actor, "approver") ? (
            actor.id === cycle.preparedBy ? <p className="muted">{t("cycles.fourEyes")}</p> : action("approve", t("cycles.approve"))
          ) : null}
          {cycle.state === "approved" && hasRole(actor, "officer") && (!job || job.state === "failed") ? action("issue", t("cycles.issue")) : null}
          {cycle.state === "issued" && hasRole(actor, "officer", "approver") ? action("close", t("cycles.close")) : null}
        </div>
      </section>
      {job ? (
        <section className="card">
          <h2>{t("cycles.job")}</h2>
          <JobProgress jobId={job.id} initial={{ state: job.state, done: job.done, total: job.total, throughput: job.throughput, error: job.error }} rateLabel={t("cycles.throughput", { rate: "{rate}" })} stateLabels={jobLabels} />
        </section>
      ) : null}
      <p data-testid="redeemed" data-redeemed={redeemed} data-receipts={receipts} data-double={doubles}>
        {t("redemptions.redeemed")}: <strong>{redeemed}</strong> · {t("redemptions.receipts")}: {receipts}
        {doubles ? <span className="error"> · {t("redemptions.double")}: {doubles}</span> : null}
      </p>
      <h2>{t("cycles.entitlements")}</h2>
      <ul>
        {byStatus.map((s) => (
          <li key={s.status}>
            {t(`entitlementStatus.${s.status}`, { defaultValue: s.status })}: {s.count}
          </li>
        ))}
      </ul>
      {cycle.state === "issued" || cycle.state === "closed" ? (
        <p>
          <a href={`/api/cycles/${cycle.id}/cards?locale=${locale}`}>{t("cards.print")}</a>
        </p>
      ) : null}
      <table>
        <tbody>
          {rows.map((e) => (
            <tr key={e.id}>
              <td className="mono">{e.ref}</td>
              <td>{e.displayName ?? ""}</td>
              <td>
                {t(`entitlementStatus.${e.status}`, { defaultValue: e.status })}
                {e.statusReason ? <div className="muted">{reasonText(e.statusReason)}</div> : null}
              </td>
              <td>{hasRole(actor, "officer", "approver") ? <EntitlementActions id={e.id} status={e.status} csrf={session.csrfToken} labels={actionLabels} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
