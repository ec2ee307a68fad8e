import Link from "next/link";
import { recordPage } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { readCycle } from "@/server/cycles/read-cycle";
import { CycleListFilter, readCycleEntitlements } from "@/server/cycles/read-cycle-entitlements";
import { countTally } from "@/server/cycles/cycle-tally";
import { describeStatusReason } from "@/server/status/status-reasons";
import { cycleAction } from "@/app/actions";
import { Pager } from "@/app/(console)/pager";
import { ruleWords } from "@/app/(console)/rule-words";
import { DeliveryCell } from "@/app/(console)/delivery-cell";
import { JobProgress } from "./job-progress";
import { EntitlementActions } from "./entitlement-actions";
import { issuesSdJwtVc } from "@/server/delivery/oid4vci";
import { Approval, CloseCycle, TopUp } from "./approval";
import { DataTable, PageError, RefCell, SelectFilter, YesNoFilter } from "@/app/(console)/table";
import { labelsOf } from "@/app/(console)/labels";

type Search = Record<string, string | undefined>;

export default async function CyclePage(props: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const { session, t, locale, f, id, q, ctx, record: view } = await recordPage(props, readCycle);
  const filter = CycleListFilter.safeParse(q);
  const list = filter.success ? filter.data : CycleListFilter.parse({});
  const matching = list.q ? null : countTally(view.tally, list);
  const page = await readCycleEntitlements(ctx, id, list, { share: matching !== null && view.entitlements ? matching / view.entitlements : undefined });
  const { cycle, job, rule, frozen, actor = session.actor } = { ...view, actor: session.actor };
  const programme = cycle.programme;
  const value =
    programme.benefitType === "inkind" ? f.quantity(cycle.quantity, `${programme.unit ?? ""} ${programme.item ?? ""}`.trim()) : cycle.amount ? f.money(cycle.amount, programme.currency) : "";
  const totalText = (total: string, unit: string, kind: string) => (kind === "money" ? f.money(total, unit) : kind === "quantity" ? f.quantity(total, unit) : "");
  const sdJwt = issuesSdJwtVc(ctx);
  // Reasons picked from the list are stored in English; show them in the reader's language.
  const reasonText = (stored: string) => {
    const { code, note } = describeStatusReason(stored);
    return code ? [t(`bulkStatus.reasons.${code}`), note].filter(Boolean).join(" — ") : note;
  };
  const jobLabels = labelsOf(t, "jobs", ["queued", "running", "completed", "failed"]);
  const filterQuery = { status: list.status, area: list.area, delivered: list.delivered, redeemed: list.redeemed, q: list.q };
  const filterParams = new URLSearchParams(Object.entries(filterQuery).filter(([, v]) => v) as [string, string][]);
  const mayApprove = cycle.state === "submitted" && hasRole(actor, "approver") && actor.id !== cycle.preparedBy && actor.id !== cycle.submittedBy;
  const action = (intent: string, label: string, className?: string) => (
    <form action={cycleAction}>
      <input type="hidden" name="csrf" value={session.csrfToken} />
      <input type="hidden" name="cycleId" value={cycle.id} />
      <button type="submit" name="intent" value={intent} className={className}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      <h1>
        <Link href={`/programmes/${cycle.programmeId}`}>{programme.name}</Link> · {cycle.code}
      </h1>
      <PageError code={q.error} t={t} />
      <section className="card" aria-labelledby="cycle-summary">
        <h2 id="cycle-summary" className="visually-hidden">
          {t("cycles.summary")}
        </h2>
        <p data-testid="cycle-state" data-state={cycle.state}>
          {t("cycles.state")}: <strong>{t(`cycles.${cycle.state}`)}</strong>
        </p>
        <p>
          {t("cycles.validFrom")} {f.date(cycle.validFrom)} · {t("cycles.validUntil")} {f.date(cycle.validUntil)}
          {value ? ` · ${t("cycles.perPerson")}: ${value}` : ""}
        </p>
        <p data-testid="credential-format" data-format={cycle.credentialFormat}>
          {t("cycles.format")}: {t(cycle.credentialFormat === "vc2" ? "cycles.formatVc2" : "cycles.formatVc1")}
        </p>
        <p>
          {t("cycles.rule")}: {ruleWords(rule, programme.area, t, f.count)}
          {view.qualify !== null ? (
            <>
              {" · "}
              <strong data-testid="qualify">{t("cycles.qualify", { count: view.qualify, n: f.count(view.qualify) })}</strong>
            </>
          ) : null}
        </p>
        {view.parent ? (
          <p>
            {t("cycles.topUpOf")} <Link href={`/cycles/${view.parent.id}`}>{view.parent.code}</Link>
          </p>
        ) : null}
        <p>
          {t("cycles.preparedBy")}: {view.preparedBy}
          {view.submittedBy ? ` · ${t("cycles.submittedBy")}: ${view.submittedBy} (${f.dateTime(cycle.submittedAt)})` : ""}
          {view.approvedBy ? ` · ${t("cycles.approvedBy")}: ${view.approvedBy} (${f.dateTime(cycle.approvedAt)})` : ""}
        </p>
        {cycle.state === "draft" && cycle.returnComment ? (
          <div className="notice" role="status" data-testid="returned">
            <strong>{t("cycles.returnedBy", { name: view.returnedBy ?? "", at: f.dateTime(cycle.returnedAt) })}</strong>
            <p>{cycle.returnComment}</p>
          </div>
        ) : null}
        <div className="row">
          {cycle.state === "draft" && hasRole(actor, "officer") ? action("submit", t("cycles.submit")) : null}
          {cycle.state === "submitted" && !mayApprove ? (
            <p className="muted">{hasRole(actor, "approver") ? t("cycles.fourEyes") : t("cycles.waiting")}</p>
          ) : null}
          {cycle.state === "approved" && hasRole(actor, "officer") && (!job || job.state === "failed") ? action("issue", t("cycles.issue")) : null}
          {cycle.state === "issued" && hasRole(actor, "officer", "approver") ? <CloseCycle cycleId={cycle.id} /> : null}
        </div>
      </section>

      {frozen ? (
        <section className="card" aria-labelledby="frozen-title" data-testid="frozen" data-count={frozen.count} data-total={frozen.total}>
          <h2 id="frozen-title">{cycle.state === "submitted" ? t("approvals.listToApprove") : t("approvals.listApproved")}</h2>
          <p>
            <strong>{t("approvals.people", { count: frozen.count, n: f.count(frozen.count) })}</strong>
            {frozen.kind !== "none" ? ` · ${t("approvals.total")}: ${totalText(frozen.total, frozen.unit, frozen.kind)}` : ""}
          </p>
          <DataTable caption={t("approvals.byArea")} head={[t("people.area"), t("approvals.peopleCol"), t("approvals.total")]}>
            {frozen.byArea.map((a) => (
              <tr key={a.area ?? ""}>
                <td>{a.area ?? t("people.noArea")}</td>
                <td>{f.count(a.count)}</td>
                <td>{totalText(a.total, frozen.unit, frozen.kind)}</td>
              </tr>
            ))}
          </DataTable>
          <p>
            <a href={`/api/cycles/${cycle.id}/frozen-list`} download data-testid="frozen-download">
              {t("approvals.download")}
            </a>{" "}
            <span className="muted">
              {t("approvals.digest")}: <code title={cycle.frozenDigest ?? ""}>{cycle.frozenDigest?.slice(0, 16)}…</code>
            </span>
          </p>
          {mayApprove ? (
            <Approval
              cycleId={cycle.id}
              digest={cycle.frozenDigest ?? ""}
              summary={t("approvals.summary", { n: f.count(frozen.count), total: totalText(frozen.total, frozen.unit, frozen.kind) || "—" })}
            />
          ) : null}
        </section>
      ) : null}

      {job ? (
        <section className="card" aria-labelledby="job-title">
          <h2 id="job-title">{t("cycles.job")}</h2>
          <JobProgress
            jobId={job.id}
            locale={locale}
            initial={{ state: job.state, done: job.done, total: job.total, throughput: job.throughput, error: job.error }}
            rateLabel={t("cycles.throughput", { rate: "{rate}" })}
            stateLabels={jobLabels}
          />
        </section>
      ) : null}

      <p data-testid="redeemed" data-redeemed={view.redeemed} data-receipts={view.receipts} data-double={view.doubles}>
        {t("redemptions.redeemed")}: <strong>{f.count(view.redeemed)}</strong> · {t("redemptions.receipts")}: {f.count(view.receipts)}
        {view.doubles ? <span className="error"> · {t("redemptions.double")}: {f.count(view.doubles)}</span> : null}
      </p>
      <p data-testid="wallets" data-delivered={view.wallets.delivered} data-accepted={view.wallets.accepted} data-deleted={view.wallets.deleted}>
        {t("cycles.wallets", { delivered: view.wallets.delivered, accepted: view.wallets.accepted, deleted: view.wallets.deleted })}
      </p>
      <h2>{t("cycles.entitlements")}</h2>
      <ul className="inline">
        {view.byStatus.map((s) => (
          <li key={s.status}>
            {t(`entitlementStatus.${s.status}`, { defaultValue: s.status })}: {f.count(s.count)}
          </li>
        ))}
      </ul>
      <p className="muted">{t("common.countedAt", { at: f.dateTime(view.countedAt) })}</p>

      <form method="get" className="card filters" role="search" aria-label={t("cycles.filters")}>
        <div className="row">
          <SelectFilter name="status" label={t("cycles.state")} empty={t("filters.any")} value={list.status} options={["pending", "issued", "suspended", "revoked"].map((s) => ({ value: s, label: t(`entitlementStatus.${s}`) }))} />
          <SelectFilter name="area" label={t("people.area")} empty={t("filters.any")} value={list.area} options={view.areas.map((a) => ({ value: a.area, label: `${a.area || t("people.noArea")} (${f.count(a.count)})` }))} />
          <YesNoFilter name="delivered" label={t("delivery.delivered")} value={list.delivered} t={t} />
          <YesNoFilter name="redeemed" label={t("redemptions.redeemed")} value={list.redeemed} t={t} />
          <label>
            {t("cycles.search")}
            <input name="q" type="search" defaultValue={list.q ?? ""} placeholder={t("cycles.searchHint")} />
          </label>
          <button type="submit">{t("filters.apply")}</button>
          <Link href={`/cycles/${cycle.id}`}>{t("filters.clear")}</Link>
        </div>
      </form>
      <div className="row list-actions">
        {matching !== null ? <p data-testid="matching">{t("cycles.matching", { count: matching, n: f.count(matching) })}</p> : null}
        {hasRole(actor, "officer", "approver") && matching ? (
          <Link href={`/bulk-status?cycleId=${cycle.id}&${filterParams.toString()}`}>{t("cycles.actOnThese", { n: f.count(matching) })}</Link>
        ) : null}
        <a href={`/api/cycles/${cycle.id}/entitlements?${filterParams.toString()}&format=csv`} download>
          {t("exports.csv")}
        </a>
        <a href={`/api/cycles/${cycle.id}/entitlements?${filterParams.toString()}&format=xlsx`} download>
          {t("exports.xlsx")}
        </a>
        {(cycle.state === "issued" || cycle.state === "closed") && hasRole(actor, "officer") ? (
          <a href={`/api/cycles/${cycle.id}/cards?locale=${locale}`}>{t("cards.print")}</a>
        ) : null}
      </div>
      <DataTable testId="entitlements" head={[t("people.ref"), t("people.name"), t("people.area"), t("cycles.state"), t("delivery.title"), t("redemptions.redeemed"), <span className="visually-hidden">{t("common.actions")}</span>]}>
          {page.rows.map((e) => (
            <tr key={e.id}>
              <RefCell beneficiaryRef={e.ref} />
              <td>{e.displayName ?? ""}</td>
              <td>{e.area ?? ""}</td>
              <td>
                {t(`entitlementStatus.${e.status}`, { defaultValue: e.status })}
                {e.statusReason ? <div className="muted">{reasonText(e.statusReason)}</div> : null}
              </td>
              <td>
                <DeliveryCell delivery={e.delivery} t={t} f={f} />
              </td>
              <td>{e.redeemed ? t("filters.yes") : t("filters.no")}</td>
              <td>{hasRole(actor, "officer", "approver") ? <EntitlementActions id={e.id} status={e.status} canOffer={hasRole(actor, "officer")} sdJwt={sdJwt} /> : null}</td>
            </tr>
          ))}
      </DataTable>
      {page.rows.length === 0 ? <p className="muted">{t("filters.none")}</p> : null}
      <Pager path={`/cycles/${cycle.id}`} query={{ ...filterQuery, after: list.after }} cursorName="after" next={page.next} t={t} />
      {["approved", "issued", "closed"].includes(cycle.state) && hasRole(actor, "officer") ? <TopUp cycleId={cycle.id} /> : null}
    </>
  );
}
