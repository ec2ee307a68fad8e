import { getServerContext } from "@/server/context";
import { consolePage } from "@/server/web/page-session";
import { BeneficiarySearchInput, SEARCH_BY, searchBeneficiaries } from "@/server/beneficiaries/search-beneficiaries";
import { readRegistryAreas } from "@/server/areas/read-registry-areas";
import { Pager } from "@/app/(console)/pager";
import { DataTable, RefCell, SelectFilter } from "@/app/(console)/table";
import { Options } from "@/app/(console)/options";

/** Finding a person: by name (any script, accents ignored), reference, registry id or area. */
export default async function PeoplePage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { t, f } = await consolePage();
  const raw = await searchParams;
  const parsed = BeneficiarySearchInput.safeParse(raw);
  const input = parsed.success ? parsed.data : BeneficiarySearchInput.parse({});
  const ctx = getServerContext();
  const searched = Boolean(input.q || (input.by === "area" && input.area));
  const [areas, result] = await Promise.all([readRegistryAreas(ctx), searched ? searchBeneficiaries(ctx, input) : null]);
  return (
    <>
      <h1>{t("people.title")}</h1>
      <form method="get" role="search" className="card" aria-label={t("people.search")}>
        <div className="row">
          <label>
            {t("people.by")}
            <select name="by" defaultValue={input.by}>
              <Options items={SEARCH_BY.map((b) => ({ value: b, label: t(`people.byOptions.${b}`) }))} />
            </select>
          </label>
          <label>
            {t("people.query")}
            <input name="q" type="search" defaultValue={input.q} size={28} autoFocus />
          </label>
          <SelectFilter name="area" label={t("people.area")} empty={t("filters.any")} value={input.area} options={areas.map((a) => ({ value: a.code, label: t("areas.option", { code: a.code, people: f.count(a.people) }) }))} />
          <button type="submit">{t("people.search")}</button>
        </div>
        <p className="muted">{t("people.searchHelp")}</p>
      </form>
      {result?.problem ? <p className="error">{t(`people.problems.${result.problem}`)}</p> : null}
      {result && !result.problem ? (
        <>
          <DataTable testId="people" head={[t("people.ref"), t("people.name"), t("people.area"), t("people.householdSize"), t("people.enrolment")]}>
              {result.rows.map((p) => (
                <tr key={p.id}>
                  <RefCell beneficiaryRef={p.ref} />
                  <td>{p.displayName ?? ""}</td>
                  <td>{p.area ?? ""}</td>
                  <td>{p.householdSize ?? ""}</td>
                  <td>{t(`people.enrolmentStates.${p.enrolment}`, { defaultValue: p.enrolment })}</td>
                </tr>
              ))}
          </DataTable>
          {result.rows.length === 0 ? <p className="muted">{t("people.noMatch")}</p> : null}
          <Pager path="/beneficiaries" query={{ by: input.by, q: input.q || undefined, area: input.area, after: input.after }} cursorName="after" next={result.next} t={t} />
        </>
      ) : null}
    </>
  );
}
