"use client";
/**
 * Recording a grievance (a complaint or an appeal, about a person or one of their entitlements)
 * and resolving one with a note: errors next to the fields, nothing typed lost.
 */
import { useActionState } from "react";
import { recordGrievanceAction, resolveGrievanceAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import { GRIEVANCE_CATEGORIES, GRIEVANCE_KINDS } from "@/server/grievances/grievance-model";
import { Field, SelectField, StateForm, Submit, useConsole } from "@/app/(console)/kit";

export function GrievanceForm(props: { beneficiaryRef?: string; entitlements?: { id: string; label: string }[] }) {
  const { t } = useConsole();
  const [state, action] = useActionState(recordGrievanceAction, emptyForm({ beneficiaryRef: props.beneficiaryRef ?? "", kind: "complaint", category: "amount" }));
  return (
    <StateForm action={action} state={state} hidden={{ back: props.beneficiaryRef ? "profile" : "list" }} head={<h3>{t("grievances.new")}</h3>} className="card" testId="grievance-form">
      <div className="row">
        {props.beneficiaryRef ? (
          <input type="hidden" name="beneficiaryRef" value={props.beneficiaryRef} />
        ) : (
          <Field name="beneficiaryRef" label={t("people.ref")} required placeholder="HK-…" dir="ltr" />
        )}
        <SelectField name="kind" label={t("grievances.kind")} options={GRIEVANCE_KINDS.map((k) => ({ value: k, label: t(`grievances.kinds.${k}`) }))} />
        <SelectField name="category" label={t("grievances.category")} options={GRIEVANCE_CATEGORIES.map((c) => ({ value: c, label: t(`grievances.categories.${c}`) }))} />
        {props.entitlements?.length ? (
          <SelectField
            name="entitlementId"
            label={t("grievances.about")}
            options={[{ value: "", label: t("grievances.aboutPerson") }, ...props.entitlements.map((e) => ({ value: e.id, label: e.label }))]}
          />
        ) : null}
      </div>
      <Field name="text" label={t("grievances.text")} hint={t("grievances.textHelp")} render={(a) => <textarea {...a} rows={3} />} />
      <Submit>{t("grievances.record")}</Submit>
    </StateForm>
  );
}

export function ResolveGrievance(props: { grievanceId: string }) {
  const { t } = useConsole();
  const [state, action] = useActionState(resolveGrievanceAction, emptyForm());
  if (state.ok?.resolved) return <p className="ok">{t("grievances.resolvedNow")}</p>;
  return (
    <StateForm action={action} state={state} hidden={{ grievanceId: props.grievanceId }} testId="resolve-form">
      <Field name="resolution" label={t("grievances.resolution")} render={(a) => <textarea {...a} rows={2} />} />
      <Submit className="secondary">{t("grievances.resolve")}</Submit>
    </StateForm>
  );
}
