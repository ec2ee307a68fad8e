"use client";
/**
 * The approver's part of a cycle page: approve the frozen list (after ticking that it was checked,
 * and a confirmation that says approval cannot be undone), or return it to the officer with a
 * comment. The approval carries the digest of the list shown, so a list changed meanwhile is refused.
 */
import { useActionState, type ReactNode } from "react";
import { cycleAction, returnCycleAction, topUpAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import { ConfirmButton, Field, StateForm, Submit, useConsole } from "@/app/(console)/kit";

/**
 * A change to the cycle sent as `intent` to `cycleAction`, asked for in a dialog first (the
 * dialog's button submits the form, so fields inside the form, such as a checkbox, go with it).
 */
function ConfirmedCycleForm(props: {
  id: string;
  cycleId: string;
  intent: "approve" | "close";
  confirm: { label: string; title: string; body: ReactNode; confirm: string; danger?: boolean; testId?: string };
  hidden?: Record<string, string>;
  className?: string;
  children?: ReactNode;
}) {
  const { csrf, t } = useConsole();
  return (
    <form id={props.id} action={cycleAction} className={props.className}>
      <input type="hidden" name="csrf" value={csrf} />
      <input type="hidden" name="cycleId" value={props.cycleId} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {props.children}
      <ConfirmButton {...props.confirm} form={props.id} name="intent" value={props.intent} cancel={t("form.cancel")} />
    </form>
  );
}

export function Approval(props: { cycleId: string; digest: string; summary: string }) {
  const { t } = useConsole();
  const [state, action] = useActionState(returnCycleAction, emptyForm());
  const body = (
    <>
      <p>{props.summary}</p>
      <p>{t("approvals.confirmBody")}</p>
    </>
  );
  return (
    <div className="row approval">
      <ConfirmedCycleForm id="approve-form" className="card" cycleId={props.cycleId} hidden={{ digest: props.digest }} intent="approve"
        confirm={{ label: t("cycles.approve"), title: t("approvals.confirmTitle"), body, confirm: t("approvals.confirm"), testId: "approve" }}
      >
        <label className="check">
          <input type="checkbox" name="checked" value="yes" required /> {t("approvals.checked")}
        </label>
      </ConfirmedCycleForm>
      <StateForm action={action} state={state} hidden={{ cycleId: props.cycleId }} className="card" testId="return-form">
        <Field name="comment" label={t("approvals.comment")} hint={t("approvals.commentHelp")} render={(a) => <textarea {...a} rows={3} />} />
        <Submit className="secondary">{t("approvals.return")}</Submit>
      </StateForm>
    </div>
  );
}

/** Closing an issued cycle, confirmed first (it cannot be reopened). */
export function CloseCycle(props: { cycleId: string }) {
  const { t } = useConsole();
  return (
    <ConfirmedCycleForm id="close-form" cycleId={props.cycleId} intent="close"
      confirm={{ label: t("cycles.close"), title: t("cycles.closeTitle"), body: <p>{t("cycles.closeBody")}</p>, confirm: t("cycles.close"), danger: true }}
    />
  );
}

/** Preparing a top-up cycle for people who qualify now but are not in this cycle's list. */
export function TopUp(props: { cycleId: string }) {
  const { t } = useConsole();
  const [state, action] = useActionState(topUpAction, emptyForm());
  return (
    <StateForm
      action={action}
      state={state}
      hidden={{ cycleId: props.cycleId }}
      className="card"
      head={
        <>
          <h2>{t("cycles.topUp")}</h2>
          <p className="muted">{t("cycles.topUpHelp")}</p>
        </>
      }
    >
      <Field name="code" label={t("cycles.code")} required />
      <Submit>{t("cycles.prepareTopUp")}</Submit>
    </StateForm>
  );
}
