import Link from "next/link";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { formatters } from "@/server/web/format";
import { hasRole } from "@/server/auth/roles";
import { GrievanceFilter, readGrievances } from "@/server/grievances/read-grievances";
import { GRIEVANCE_CATEGORIES, GRIEVANCE_KINDS, GRIEVANCE_STATUSES } from "@/server/grievances/grievance-model";
import { Pager } from "@/app/(console)/pager";
import { GrievanceForm, ResolveGrievance } from "./grievance-forms";
import { DataTable, SelectFilter } from "@/app/(console)/table";

/** Complaints and appeals: recorded, filtered, resolved with a note (who and when kept). */
export default async function GrievancesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const session = await requirePageSession();
  const { t, locale } = await pageI18n();
  const f = formatters(locale);
  const raw = await searchParams;
  const parsed = GrievanceFilter.safeParse(raw);
  const filter = parsed.success ? parsed.data : GrievanceFilter.parse({});
  const page = await readGrievances(getServerContext(), filter);
  const caseworker = hasRole(session.actor, "officer", "approver");
  const select = (name: "status" | "category" | "kind", values: readonly string[], label: string, prefix: string) => (
    <SelectFilter name={name} label={label} empty={t("filters.any")} value={filter[name]} options={values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }))} />
  );
  return (
    <>
      <h1>{t("grievances.title")}</h1>
      <form method="get" className="card filters" role="search" aria-label={t("grievances.filters")}>
        <div className="row">
          {select("status", GRIEVANCE_STATUSES, t("grievances.status"), "grievances.statuses")}
          {select("category", GRIEVANCE_CATEGORIES, t("grievances.category"), "grievances.categories")}
          {select("kind", GRIEVANCE_KINDS, t("grievances.kind"), "grievances.kinds")}
          <label>
            {t("people.ref")}
            <input name="ref" defaultValue={filter.ref ?? ""} size={16} dir="ltr" />
          </label>
          <button type="submit">{t("filters.apply")}</button>
          <Link href="/grievances">{t("filters.clear")}</Link>
        </div>
      </form>
      <DataTable testId="grievances" head={[t("grievances.recorded"), t("people.ref"), t("grievances.kind"), t("grievances.text"), t("grievances.status")]}>
          {page.rows.map((g) => (
            <tr key={g.id} data-status={g.status}>
              <td>
                {f.dateTime(g.createdAt)}
                <div className="muted">{g.createdByName}</div>
              </td>
              <td className="mono">
                <Link href={`/beneficiaries/${g.beneficiary.ref}#grievances`}>{g.beneficiary.ref}</Link>
                {g.entitlement ? (
                  <div className="muted">
                    <Link href={`/cycles/${g.entitlement.cycle.id}`}>
                      {g.entitlement.cycle.programme.name} · {g.entitlement.cycle.code}
                    </Link>
                  </div>
                ) : null}
              </td>
              <td>
                {t(`grievances.kinds.${g.kind}`)} · {t(`grievances.categories.${g.category}`)}
              </td>
              <td>{g.text}</td>
              <td>
                {g.status === "resolved" ? (
                  <>
                    <strong>{t("grievances.statuses.resolved")}</strong>
                    <div>{g.resolution}</div>
                    <div className="muted">
                      {g.resolvedByName} · {f.dateTime(g.resolvedAt)}
                    </div>
                  </>
                ) : caseworker ? (
                  <ResolveGrievance grievanceId={g.id} />
                ) : (
                  t("grievances.statuses.open")
                )}
              </td>
            </tr>
          ))}
      </DataTable>
      {page.rows.length === 0 ? <p className="muted">{t("filters.none")}</p> : null}
      <Pager path="/grievances" query={{ status: filter.status, category: filter.category, kind: filter.kind, ref: filter.ref, after: filter.after }} cursorName="after" next={page.next} t={t} />
      {caseworker ? <GrievanceForm /> : null}
    </>
  );
}
