"use client";
import { useActionState } from "react";
import { resolveDoubleAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import { Field, SelectField, StateForm, Submit, useConsole } from "@/app/(console)/kit";

/** Settling one flagged double redemption: pay it (it was legitimate) or withhold it, with the reason. */
export function ResolveDouble(props: { receiptId: string }) {
  const { t } = useConsole();
  const [state, action] = useActionState(resolveDoubleAction, emptyForm({ resolution: "withhold" }));
  if (state.ok?.resolved) return <p className="ok">{t("settlement.resolvedNow")}</p>;
  return (
    <StateForm action={action} state={state} hidden={{ receiptId: props.receiptId }} testId="resolve-double">
      <div className="row">
        <SelectField name="resolution" label={t("settlement.resolution")} options={["withhold", "pay"].map((r) => ({ value: r, label: t(`settlement.resolutions.${r}`) }))} />
        <Field name="note" label={t("settlement.note")} required />
        <Submit className="secondary">{t("settlement.resolve")}</Submit>
      </div>
    </StateForm>
  );
}
