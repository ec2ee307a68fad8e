import { Fragment } from "react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { getServerContext } from "@/server/context";
import { consolePage } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { readBeneficiaryProfile } from "@/server/beneficiaries/read-profile";
import { describeStatusReason } from "@/server/status/status-reasons";
import { DeliveryCell } from "@/app/(console)/delivery-cell";
import { EntitlementActions } from "@/app/(console)/cycles/[id]/entitlement-actions";
import { GrievanceForm, ResolveGrievance } from "@/app/(console)/grievances/grievance-forms";
import { CardLost, PaperInstead, ReplacePhone } from "./case-actions";
import { DataTable } from "@/app/(console)/table";

/** One person: household data kept, every entitlement with its delivery and history, receipts, grievances, audit trail. */
export default async function ProfilePage({ params }: { params: Promise<{ ref: string }> }) {
  const { session, t, locale, f } = await consolePage();
  const { ref } = await params;
  const p = await readBeneficiaryProfile(getServerContext(), decodeURIComponent(ref).toUpperCase());
  if (!p) notFound();
  const { actor } = session;
  const officer = hasRole(actor, "officer");
  const caseworker = hasRole(actor, "officer", "approver");
  const reasonText = (stored: string) => {
    const { code, note } = describeStatusReason(stored);
    return code ? [t(`bulkStatus.reasons.${code}`), note].filter(Boolean).join(" — ") : note;
  };
  const value = (e: (typeof p.entitlements)[number]) =>
    e.programme.benefitType === "inkind" ? f.quantity(e.cycle.quantity, e.programme.unit) : e.cycle.amount ? f.money(e.cycle.amount, e.programme.currency) : "";
  const handed = (r: { amount: string | null; quantity: string | null }, e: (typeof p.entitlements)[number]) =>
    r.amount ? f.money(r.amount, e.programme.currency) : f.quantity(r.quantity, e.programme.unit);
  const attributes = Object.entries(p.person.attributes);
  return (
    <>
      <h1>
        {p.person.displayName ?? p.person.ref} <span className="muted mono">{p.person.ref}</span>
      </h1>
      <section className="card" aria-labelledby="household">
        <h2 id="household">{t("people.household")}</h2>
        <dl className="facts">
          <dt>{t("people.ref")}</dt>
          <dd className="mono">{p.person.ref}</dd>
          <dt>{t("people.name")}</dt>
          <dd>{p.person.displayName ?? "—"}</dd>
          <dt>{t("people.area")}</dt>
          <dd>{p.person.area ?? "—"}</dd>
          <dt>{t("people.householdSize")}</dt>
          <dd>{p.person.householdSize ?? "—"}</dd>
          <dt>{t("people.povertyScore")}</dt>
          <dd>{p.person.povertyScore ?? "—"}</dd>
          <dt>{t("people.enrolment")}</dt>
          <dd>{t(`people.enrolmentStates.${p.person.enrolment}`, { defaultValue: p.person.enrolment })}</dd>
          {attributes.map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>{String(v)}</dd>
            </Fragment>
          ))}
          <dt>{t("people.source")}</dt>
          <dd>
            {p.person.source} · {t("people.updated", { at: f.date(p.person.updatedAt) })}
          </dd>
        </dl>
        <p className="muted">{t("people.leastData")}</p>
      </section>

      <h2>{t("people.entitlements")}</h2>
      {p.entitlements.length === 0 ? <p className="muted">{t("people.noEntitlements")}</p> : null}
      {p.entitlements.map((e) => (
        <section key={e.id} className="card entitlement" data-testid="entitlement" data-status={e.status} data-delivery={e.delivery.phone ?? "none"} data-active-form={e.delivery.activeForm ?? ""}>
          <h3>
            <Link href={`/programmes/${e.programme.id}`}>{e.programme.name}</Link> · <Link href={`/cycles/${e.cycle.id}`}>{e.cycle.code}</Link>
          </h3>
          <p>
            {t("cycles.state")}: <strong>{t(`entitlementStatus.${e.status}`, { defaultValue: e.status })}</strong>
            {e.statusReason ? ` (${reasonText(e.statusReason)})` : ""} · {value(e)} · {t("cycles.validUntil")} {f.date(e.cycle.validUntil)}
          </p>
          <p>
            {t("delivery.title")}: <DeliveryCell delivery={e.delivery} t={t} f={f} />
            {e.replacedAt ? ` · ${t("case.replacedAt", { at: f.dateTime(e.replacedAt) })}` : ""}
          </p>
          {e.receipts.length ? (
            <DataTable caption={t("people.handedOver")} head={[t("redemptions.when"), t("redemptions.servicePoint"), t("redemptions.amount"), t("redemptions.double")]}>
              {e.receipts.map((r) => (
                <tr key={r.id}>
                  <td>{f.dateTime(r.redeemedAt)}</td>
                  <td>{r.servicePointName}</td>
                  <td>{handed(r, e)}</td>
                  <td className={r.doubleRedemption ? "error" : ""}>{r.doubleRedemption ? t("filters.yes") : t("filters.no")}</td>
                </tr>
              ))}
            </DataTable>
          ) : null}
          <details>
            <summary>{t("people.history", { n: e.events.length })}</summary>
            <ol className="history">
              {e.events.map((ev, i) => (
                <li key={i}>
                  {f.dateTime(ev.at)} — {t(`history.${ev.what.replace(".", "_")}`, { defaultValue: t(`audit.actions.${ev.what}`, { defaultValue: ev.what }) })}
                  {ev.actor ? ` · ${ev.actor}` : ""}
                  {ev.detail ? ` · ${ev.what.startsWith("entitlement.") ? reasonText(ev.detail) : ev.detail}` : ""}
                </li>
              ))}
            </ol>
          </details>
          {caseworker ? (
            <div className="row case-actions">
              <EntitlementActions id={e.id} status={e.status} canOffer={officer} />
              {officer && e.status === "issued" ? <ReplacePhone entitlementId={e.id} /> : null}
              {officer && e.printable ? (
                <a className="button secondary" href={`/api/entitlements/${e.id}/card?locale=${locale}`} download>
                  {t("case.printCard")}
                </a>
              ) : null}
              {officer && e.paperInstead ? <PaperInstead entitlementId={e.id} /> : null}
              {officer && e.status === "issued" ? <CardLost entitlementId={e.id} /> : null}
            </div>
          ) : null}
        </section>
      ))}

      <h2 id="grievances">{t("grievances.title")}</h2>
      {p.grievances.length ? (
        <ul className="grievances">
          {p.grievances.map((g) => (
            <li key={g.id} className="card" data-testid="grievance" data-status={g.status}>
              <strong>
                {t(`grievances.kinds.${g.kind}`)} · {t(`grievances.categories.${g.category}`)}
              </strong>{" "}
              <span className="muted">
                {t("grievances.recordedBy", { name: g.createdByName, at: f.dateTime(g.createdAt) })}
              </span>
              <p>{g.text}</p>
              {g.status === "resolved" ? (
                <p className="ok">
                  {t("grievances.resolvedBy", { name: g.resolvedByName ?? "", at: f.dateTime(g.resolvedAt) })}: {g.resolution}
                </p>
              ) : caseworker ? (
                <ResolveGrievance grievanceId={g.id} />
              ) : (
                <p>{t("grievances.statuses.open")}</p>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("grievances.none")}</p>
      )}
      {caseworker ? (
        <GrievanceForm
          beneficiaryRef={p.person.ref}
          entitlements={p.entitlements.map((e) => ({ id: e.id, label: `${e.programme.name} · ${e.cycle.code}` }))}
        />
      ) : null}

      <h2>{t("people.auditTrail")}</h2>
      <DataTable head={[t("audit.at"), t("audit.actor"), t("audit.action")]}>
          {p.audit.map((a) => (
            <tr key={a.seq}>
              <td>{f.dateTime(a.at)}</td>
              <td>{a.actor ?? t("audit.system")}</td>
              <td>{t(`audit.actions.${a.action}`, { defaultValue: a.action })}</td>
            </tr>
          ))}
      </DataTable>
      {hasRole(actor, "auditor", "admin") ? <Link href={`/audit?subject=${p.person.ref}`}>{t("people.fullAudit")}</Link> : null}
    </>
  );
}
