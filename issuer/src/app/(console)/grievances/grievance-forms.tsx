"use client";
/**
 * Recording a grievance (a complaint or an appeal, about a person or one of their entitlements)
 * and resolving one with a note: errors next to the fields, nothing typed lost.
 */
import { useActionState } from "react";
import type { Locale } from "@haki/i18n";
import { recordGrievanceAction, resolveGrievanceAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import { GRIEVANCE_CATEGORIES, GRIEVANCE_KINDS } from "@/server/grievances/grievance-model";
import { Field, FormError, Submit, useT } from "@/app/(console)/kit";

export function GrievanceForm(props: { csrf: string; locale: Locale; beneficiaryRef?: string; entitlements?: { id: string; label: string }[] }) {
  const t = useT(props.locale);
  const [state, action] = useActionState(recordGrievanceAction, emptyForm({ beneficiaryRef: props.beneficiaryRef ?? "", kind: "complaint", category: "amount" }));
  return (
    <form action={action} className="card" data-testid="grievance-form">
      <h3>{t("grievances.new")}</h3>
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="back" value={props.beneficiaryRef ? "profile" : "list"} />
      <FormError state={state} t={t} />
      <div className="row">
        {props.beneficiaryRef ? (
          <input type="hidden" name="beneficiaryRef" value={props.beneficiaryRef} />
        ) : (
          <Field name="beneficiaryRef" label={t("people.ref")} state={state} t={t} required placeholder="HK-…" dir="ltr" />
        )}
        <Field
          name="kind"
          label={t("grievances.kind")}
          state={state}
          t={t}
          render={(a) => (
            <select {...a}>
              {GRIEVANCE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`grievances.kinds.${k}`)}
                </option>
              ))}
            </select>
          )}
        />
        <Field
          name="category"
          label={t("grievances.category")}
          state={state}
          t={t}
          render={(a) => (
            <select {...a}>
              {GRIEVANCE_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {t(`grievances.categories.${c}`)}
                </option>
              ))}
            </select>
          )}
        />
        {props.entitlements?.length ? (
          <Field
            name="entitlementId"
            label={t("grievances.about")}
            state={state}
            t={t}
            render={(a) => (
              <select {...a}>
                <option value="">{t("grievances.aboutPerson")}</option>
                {props.entitlements!.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.label}
                  </option>
                ))}
              </select>
            )}
          />
        ) : null}
      </div>
      <Field name="text" label={t("grievances.text")} hint={t("grievances.textHelp")} state={state} t={t} render={(a) => <textarea {...a} rows={3} />} />
      <Submit pendingLabel={t("form.saving")}>{t("grievances.record")}</Submit>
    </form>
  );
}

export function ResolveGrievance(props: { csrf: string; locale: Locale; grievanceId: string }) {
  const t = useT(props.locale);
  const [state, action] = useActionState(resolveGrievanceAction, emptyForm());
  if (state.ok?.resolved) return <p className="ok">{t("grievances.resolvedNow")}</p>;
  return (
    <form action={action} data-testid="resolve-form">
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="grievanceId" value={props.grievanceId} />
      <FormError state={state} t={t} />
      <Field name="resolution" label={t("grievances.resolution")} state={state} t={t} render={(a) => <textarea {...a} rows={2} />} />
      <Submit className="secondary" pendingLabel={t("form.saving")}>
        {t("grievances.resolve")}
      </Submit>
    </form>
  );
}
