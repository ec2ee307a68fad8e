import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { formatMappingText } from "@/server/web/form-parsers";
import { saveSourceAction } from "@/app/actions";
import { readRecentImports } from "@/server/registry/read-import";
import { readRegistrySources } from "@/server/registry/read-registry-sources";
import { ImportUpload } from "./import-upload";
import { DciImportStart } from "./dci-import-start";
import { DciSourceForm } from "./dci-source-form";
import { DataTable, PageHeader } from "@/app/(console)/table";
import { labelsOf } from "@/app/(console)/labels";

export default async function ImportsPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  const { t } = await pageI18n();
  const { error } = await searchParams;
  const ctx = getServerContext();
  const [{ csv: sources, dci: dciSources }, runs] = await Promise.all([readRegistrySources(ctx), readRecentImports(ctx)]);
  const labels = {
    ...labelsOf(t, "imports", ["file", "delimiter", "start", "uploading", "running", "completed", "failed", "errorReport", "rows", "rejected", "dciStart", "dciStarting"]),
    requestFailed: t("errors.ERR_INTERNAL"),
  };
  return (
    <>
      <PageHeader title={t("nav.imports")} error={error} t={t} />
      <h2>{t("imports.sources")}</h2>
      {sources.map((s) => (
        <section className="card" key={s.id}>
          <form action={saveSourceAction}>
            <input type="hidden" name="csrf" value={session.csrfToken} />
            <input type="hidden" name="id" value={s.id} />
            <label>
              {t("imports.name")} <input name="name" defaultValue={s.name} required />
            </label>
            <label>
              {t("imports.mapping")}
              <textarea name="mapping" defaultValue={formatMappingText(s.mapping)} />
            </label>
            <button className="secondary" type="submit">
              {t("imports.save")}
            </button>
          </form>
          <h3>{t("imports.upload")}</h3>
          <ImportUpload sourceId={s.id} labels={labels} />
        </section>
      ))}
      <form className="card" action={saveSourceAction}>
        <h3>{t("imports.newSource")}</h3>
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <label>
          {t("imports.name")} <input name="name" required />
        </label>
        <label>
          {t("imports.mapping")}
          <textarea name="mapping" placeholder={"household_id = registryId\nhead_name = name\ndistrict = area\nhh_size = householdSize"} />
        </label>
        <p className="muted">{t("imports.mappingHelp")}</p>
        <button type="submit">{t("imports.save")}</button>
      </form>
      <h2>{t("imports.dciSources")}</h2>
      {dciSources.map((s) => (
        <section className="card" key={s.id}>
          <DciSourceForm csrf={session.csrfToken} t={t} source={s} />
          <h3>{t("imports.dciImport")}</h3>
          <DciImportStart sourceId={s.id} labels={labels} />
        </section>
      ))}
      <section className="card">
        <h3>{t("imports.dciNewSource")}</h3>
        <DciSourceForm csrf={session.csrfToken} t={t} />
      </section>
      <h2>{t("imports.runs")}</h2>
      <DataTable head={[t("imports.file"), t("imports.status"), t("imports.rows"), t("imports.created"), t("imports.updated"), t("imports.unchanged"), t("imports.rejected"), ""]}>
          {runs.map((r) => (
            <tr key={r.id}>
              <td>
                {r.fileName}
                <br />
                <span className="muted">
                  {r.source}, {r.startedAt.toISOString().slice(0, 16).replace("T", " ")}
                </span>
              </td>
              <td>
                {t(`imports.${r.status}`)}
                {r.status === "running" ? r.bytesTotal > 0 ? <progress max={r.bytesTotal} value={r.bytesRead} /> : <progress /> : null}
                {r.error ? <div className="error">{r.error}</div> : null}
              </td>
              <td>{r.rowsRead}</td>
              <td>{r.created}</td>
              <td>{r.updated}</td>
              <td>{r.unchanged}</td>
              <td>{r.rejected}</td>
              <td>{r.rejected > 0 ? <a href={`/api/imports/${r.id}/errors`}>{t("imports.errorReport")}</a> : null}</td>
            </tr>
          ))}
      </DataTable>
    </>
  );
}
