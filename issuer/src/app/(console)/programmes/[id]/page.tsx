import type { ComponentProps, ReactNode } from "react";
import Link from "next/link";
import { recordPage } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { readProgramme } from "@/server/programmes/read-programme";
import { saveProgrammeBearerFormsAction, saveProgrammeContactAction, saveProgrammeIdBindingAction } from "@/app/actions";
import { readRegistryAreas } from "@/server/areas/read-registry-areas";
import { CycleForm } from "./cycle-form";
import { ActionForm, DataTable, PageError } from "@/app/(console)/table";

export default async function ProgrammePage(props: { params: Promise<{ id: string }>; searchParams: Promise<{ error?: string }> }) {
  const { session, t, f, q, ctx, record: programme } = await recordPage(props, readProgramme);
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
      <PageError code={q.error} t={t} />
      <SettingForm action={saveProgrammeContactAction} csrf={session.csrfToken} programmeId={programme.id} label={t("programmes.contact")} save={t("programmes.saveContact")} help={t("programmes.contactHelp")}>
        <input name="contact" defaultValue={programme.contact ?? ""} size={50} placeholder={t("programmes.contactPlaceholder")} />
      </SettingForm>
      <SettingForm action={saveProgrammeIdBindingAction} csrf={session.csrfToken} programmeId={programme.id} id="id-binding" label={t("programmes.idBinding")} save={t("programmes.saveIdBinding")} help={t("programmes.idBindingHelp")}>
        <select name="mode" defaultValue={programme.idBinding}>
          <option value="off">{t("programmes.idBindingOff")}</option>
          <option value="refuse">{t("programmes.idBindingRefuse")}</option>
          <option value="visual-check">{t("programmes.idBindingVisual")}</option>
        </select>
      </SettingForm>
      <SettingForm action={saveProgrammeBearerFormsAction} csrf={session.csrfToken} programmeId={programme.id} id="bearer-forms" testId="bearer-forms" label={t("programmes.bearerForms")} save={t("programmes.saveBearerForms")} help={t("programmes.bearerFormsHelp")}>
        <select name="bearerForms" defaultValue={programme.bearerForms}>
          <option value="one">{t("programmes.bearerFormsOne")}</option>
          <option value="both">{t("programmes.bearerFormsBoth")}</option>
        </select>
      </SettingForm>
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
          areas={areas}
          programme={{ id: programme.id, benefitType: programme.benefitType, currency: programme.currency, unit: programme.unit, item: programme.item, area: programme.area }}
        />
      ) : null}
    </>
  );
}

/** One of the programme's settings: the labelled control, its save button and what it means. */
function SettingForm(props: {
  action: ComponentProps<typeof ActionForm>["action"];
  csrf: string;
  programmeId: string;
  id?: string;
  testId?: string;
  label: string;
  save: string;
  help: string;
  children: ReactNode;
}) {
  return (
    <ActionForm className="card" action={props.action} csrf={props.csrf} hidden={{ programmeId: props.programmeId }} id={props.id} testId={props.testId}>
      <label>
        {props.label}
        <br />
        {props.children}
      </label>{" "}
      <button type="submit">{props.save}</button>
      <p className="muted">{props.help}</p>
    </ActionForm>
  );
}
