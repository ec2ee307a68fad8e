import Link from "next/link";
import { notFound } from "next/navigation";
import { getServerContext } from "@/server/context";
import { consolePage } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { readProgramme } from "@/server/programmes/read-programme";
import { saveProgrammeBearerFormsAction, saveProgrammeContactAction, saveProgrammeIdBindingAction } from "@/app/actions";
import { readRegistryAreas } from "@/server/areas/read-registry-areas";
import { CycleForm } from "./cycle-form";
import { DataTable } from "@/app/(console)/table";

export default async function ProgrammePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<{ error?: string }> }) {
  const { session, t, locale, f } = await consolePage();
  const { id } = await params;
  const q = await searchParams;
  const ctx = getServerContext();
  const programme = await readProgramme(ctx, id);
  if (!programme) notFound();
  const canPrepare = hasRole(session.actor, "officer");
  const areas = canPrepare ? await readRegistryAreas(ctx) : [];
  return (
    <>
      <h1>
        {programme.name} <span className="muted mono">{programme.code}</span>
      </h1>
      <p>
        {t(`programmes.${programme.benefitType}`)} {programme.currency ?? ""} {programme.item ? `${programme.item} (${programme.unit})` : ""} ·{" "}
        {t("programmes.area")}: {programme.area ?? t("programmes.allAreas")}
      </p>
      {q.error ? (
        <p className="error" role="alert">
          {t(`errors.${q.error}`, { defaultValue: t("errors.ERR_INTERNAL") })}
        </p>
      ) : null}
      <form className="card" action={saveProgrammeContactAction}>
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <input type="hidden" name="programmeId" value={programme.id} />
        <label>
          {t("programmes.contact")}
          <br />
          <input name="contact" defaultValue={programme.contact ?? ""} size={50} placeholder={t("programmes.contactPlaceholder")} />
        </label>{" "}
        <button type="submit">{t("programmes.saveContact")}</button>
        <p className="muted">{t("programmes.contactHelp")}</p>
      </form>
      <form className="card" action={saveProgrammeIdBindingAction} id="id-binding">
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <input type="hidden" name="programmeId" value={programme.id} />
        <label>
          {t("programmes.idBinding")}
          <br />
          <select name="mode" defaultValue={programme.idBinding}>
            <option value="off">{t("programmes.idBindingOff")}</option>
            <option value="refuse">{t("programmes.idBindingRefuse")}</option>
            <option value="visual-check">{t("programmes.idBindingVisual")}</option>
          </select>
        </label>{" "}
        <button type="submit">{t("programmes.saveIdBinding")}</button>
        <p className="muted">{t("programmes.idBindingHelp")}</p>
      </form>
      <form className="card" action={saveProgrammeBearerFormsAction} id="bearer-forms" data-testid="bearer-forms">
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <input type="hidden" name="programmeId" value={programme.id} />
        <label>
          {t("programmes.bearerForms")}
          <br />
          <select name="bearerForms" defaultValue={programme.bearerForms}>
            <option value="one">{t("programmes.bearerFormsOne")}</option>
            <option value="both">{t("programmes.bearerFormsBoth")}</option>
          </select>
        </label>{" "}
        <button type="submit">{t("programmes.saveBearerForms")}</button>
        <p className="muted">{t("programmes.bearerFormsHelp")}</p>
      </form>
      <h2>{t("programmes.cycles")}</h2>
      <DataTable head={[t("cycles.code"), t("cycles.validFrom"), t("cycles.validUntil"), t("cycles.state")]}>
          {programme.cycles.map((c) => (
            <tr key={c.id}>
              <td>
                <Link href={`/cycles/${c.id}`}>{c.code}</Link>
              </td>
              <td>{f.date(c.validFrom)}</td>
              <td>{f.date(c.validUntil)}</td>
              <td>{t(`cycles.${c.state}`)}</td>
            </tr>
          ))}
      </DataTable>
      {canPrepare ? (
        <CycleForm
          csrf={session.csrfToken}
          locale={locale}
          areas={areas}
          programme={{ id: programme.id, benefitType: programme.benefitType, currency: programme.currency, unit: programme.unit, item: programme.item, area: programme.area }}
        />
      ) : null}
    </>
  );
}
