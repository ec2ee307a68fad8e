"use client";
/**
 * The approver's part of a cycle page: approve the frozen list (after ticking that it was checked,
 * and a confirmation that says approval cannot be undone), or return it to the officer with a
 * comment. The approval carries the digest of the list shown, so a list changed meanwhile is refused.
 */
import { useActionState } from "react";
import type { Locale } from "@haki/i18n";
import { cycleAction, returnCycleAction, topUpAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import { ConfirmButton, Field, FormError, Submit, useT } from "@/app/(console)/kit";

export function Approval(props: { csrf: string; locale: Locale; cycleId: string; digest: string; summary: string }) {
  const t = useT(props.locale);
  const [state, action] = useActionState(returnCycleAction, emptyForm());
  return (
    <div className="row approval">
      <form id="approve-form" action={cycleAction} className="card">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="cycleId" value={props.cycleId} />
        <input type="hidden" name="digest" value={props.digest} />
        <label className="check">
          <input type="checkbox" name="checked" value="yes" required /> {t("approvals.checked")}
        </label>
        <ConfirmButton
          form="approve-form"
          name="intent"
          value="approve"
          label={t("cycles.approve")}
          title={t("approvals.confirmTitle")}
          body={
            <>
              <p>{props.summary}</p>
              <p>{t("approvals.confirmBody")}</p>
            </>
          }
          confirm={t("approvals.confirm")}
          cancel={t("form.cancel")}
          testId="approve"
        />
      </form>
      <form action={action} className="card" data-testid="return-form">
        <input type="hidden" name="csrf" value={props.csrf} />
        <input type="hidden" name="cycleId" value={props.cycleId} />
        <FormError state={state} t={t} />
        <Field name="comment" label={t("approvals.comment")} hint={t("approvals.commentHelp")} state={state} t={t} render={(a) => <textarea {...a} rows={3} />} />
        <Submit className="secondary" pendingLabel={t("form.saving")}>
          {t("approvals.return")}
        </Submit>
      </form>
    </div>
  );
}

/** Closing an issued cycle, confirmed first (it cannot be reopened). */
export function CloseCycle(props: { csrf: string; locale: Locale; cycleId: string }) {
  const t = useT(props.locale);
  return (
    <form id="close-form" action={cycleAction}>
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="cycleId" value={props.cycleId} />
      <ConfirmButton
        form="close-form"
        name="intent"
        value="close"
        label={t("cycles.close")}
        title={t("cycles.closeTitle")}
        body={<p>{t("cycles.closeBody")}</p>}
        confirm={t("cycles.close")}
        cancel={t("form.cancel")}
        danger
      />
    </form>
  );
}

/** Preparing a top-up cycle for people who qualify now but are not in this cycle's list. */
export function TopUp(props: { csrf: string; locale: Locale; cycleId: string }) {
  const t = useT(props.locale);
  const [state, action] = useActionState(topUpAction, emptyForm());
  return (
    <form action={action} className="card">
      <h2>{t("cycles.topUp")}</h2>
      <p className="muted">{t("cycles.topUpHelp")}</p>
      <input type="hidden" name="csrf" value={props.csrf} />
      <input type="hidden" name="cycleId" value={props.cycleId} />
      <FormError state={state} t={t} />
      <Field name="code" label={t("cycles.code")} state={state} t={t} required />
      <Submit pendingLabel={t("form.saving")}>{t("cycles.prepareTopUp")}</Submit>
    </form>
  );
}
