"use client";
import { useActionState } from "react";
import type { Locale } from "@haki/i18n";
import { resolveDoubleAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import { Field, SelectField, StateForm, Submit, useT } from "@/app/(console)/kit";

/** Settling one flagged double redemption: pay it (it was legitimate) or withhold it, with the reason. */
export function ResolveDouble(props: { csrf: string; locale: Locale; receiptId: string }) {
  const t = useT(props.locale);
  const [state, action] = useActionState(resolveDoubleAction, emptyForm({ resolution: "withhold" }));
  if (state.ok?.resolved) return <p className="ok">{t("settlement.resolvedNow")}</p>;
  return (
    <StateForm action={action} state={state} t={t} csrf={props.csrf} hidden={{ receiptId: props.receiptId }} testId="resolve-double">
      <div className="row">
        <SelectField name="resolution" label={t("settlement.resolution")} state={state} t={t} options={["withhold", "pay"].map((r) => ({ value: r, label: t(`settlement.resolutions.${r}`) }))} />
        <Field name="note" label={t("settlement.note")} state={state} t={t} required />
        <Submit className="secondary" pendingLabel={t("form.saving")}>
          {t("settlement.resolve")}
        </Submit>
      </div>
    </StateForm>
  );
}
