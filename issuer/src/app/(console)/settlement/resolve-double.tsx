"use client";
import { useActionState } from "react";
import type { Locale } from "@haki/i18n";
import { resolveDoubleAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import { Field, FormError, Submit, useT } from "@/app/(console)/kit";

/** Settling one flagged double redemption: pay it (it was legitimate) or withhold it, with the reason. */
export function ResolveDouble(props: { csrf: string; locale: Locale; receiptId: string }) {
  const t = useT(props.locale);
  const [state, action] = useActionState(resolveDoubleAction, emptyForm({ resolution: "withhold" }));
  if (state.ok?.resolved) return <p className="ok">{t("settlement.resolvedNow")}</p>;
  return (
    <form action={action} data-testid="resolve-double">
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="receiptId" value={props.receiptId} />
      <FormError state={state} t={t} />
      <div className="row">
        <Field
          name="resolution"
          label={t("settlement.resolution")}
          state={state}
          t={t}
          render={(a) => (
            <select {...a}>
              <option value="withhold">{t("settlement.resolutions.withhold")}</option>
              <option value="pay">{t("settlement.resolutions.pay")}</option>
            </select>
          )}
        />
        <Field name="note" label={t("settlement.note")} state={state} t={t} required />
        <Submit className="secondary" pendingLabel={t("form.saving")}>
          {t("settlement.resolve")}
        </Submit>
      </div>
    </form>
  );
}
