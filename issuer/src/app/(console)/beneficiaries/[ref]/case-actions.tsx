"use client";
/**
 * A person's case on their profile: a lost or replaced phone (the old phone's credential is
 * cancelled and a new offer is shown, QR and PIN, once), a lost card (cancelled, then printed
 * again), paper instead of the phone under the programme's one-form rule (the phone's card is
 * cancelled, then the card printed), and a card printed again as it is.
 */
import { useActionState, useState } from "react";
import { renderQrSvg } from "@haki/qr/render";
import type { Locale } from "@haki/i18n";
import { cardLostAction, paperInsteadAction, replacePhoneAction } from "@/app/actions";
import { emptyForm } from "@/server/web/form-shape";
import { Field, OfferShown, ReasonDialog, StateForm, Submit, useReasonAction, useConsole, type T } from "@/app/(console)/kit";

export function ReplacePhone(props: { entitlementId: string }) {
  const { csrf, t } = useConsole();
  const [offer, setOffer] = useState<{ svg: string; link: string; txCode?: string; expiresAt: Date } | null>(null);
  const change = useReasonAction(
    t,
    (reason) => replacePhoneAction(csrf, { entitlementId: props.entitlementId, reason }),
    async (value) => setOffer({ svg: await renderQrSvg(value.offerUri), link: value.link, txCode: value.txCode, expiresAt: new Date(value.expiresAt) }),
  );
  return (
    <div data-testid="replace-phone">
      <ReasonButton t={t} change={change} words="case.replacePhone" />
      {offer ? (
        <div className="card" role="status" data-testid="new-offer">
          <p className="ok">{t("case.phoneReplaced")}</p>
          <OfferShown offer={offer} t={t} />
        </div>
      ) : null}
    </div>
  );
}

export function CardLost(props: { entitlementId: string }) {
  const { locale, t } = useConsole();
  const [state, action] = useActionState(cardLostAction, emptyForm());
  if (state.ok?.entitlementId) return <PrintAgain t={t} done={t("case.cardCancelled")} entitlementId={props.entitlementId} locale={locale} />;
  return (
    <details>
      <summary>{t("case.cardLost")}</summary>
      <StateForm action={action} state={state} hidden={{ entitlementId: props.entitlementId }} head={<p className="warning">{t("case.cardLostBody")}</p>} testId="card-lost">
        <Field name="reason" label={t("cycles.reason")} required />
        <Submit className="danger">{t("case.cancelCard")}</Submit>
      </StateForm>
    </details>
  );
}

export function PaperInstead(props: { entitlementId: string }) {
  const { csrf, locale, t } = useConsole();
  const [done, setDone] = useState(false);
  const change = useReasonAction(
    t,
    (reason) => paperInsteadAction(csrf, { entitlementId: props.entitlementId, reason }),
    () => setDone(true),
    // Refreshed, the page would no longer draw this (the phone is no longer the form) and the
    // confirmation with its print link would vanish: it stays until the officer moves on.
    { refresh: false },
  );
  if (done) return <PrintAgain t={t} done={t("case.paperInsteadDone")} entitlementId={props.entitlementId} locale={locale} testId="paper-instead-done" />;
  return (
    <div data-testid="paper-instead">
      <ReasonButton t={t} change={change} words="case.paperInstead" />
    </div>
  );
}

/**
 * A change to the person's card asked for with a reason: the button, and the dialog saying what
 * will happen (`words` names the texts: the button, `...Title`, `...Body`, `...Confirm`).
 */
function ReasonButton({ t, change, words }: { t: T; change: ReturnType<typeof useReasonAction>; words: string }) {
  const { dialog, error, busy, submit } = change;
  return (
    <>
      <button type="button" className="secondary" onClick={() => dialog.current?.showModal()}>
        {t(words)}
      </button>
      <ReasonDialog dialog={dialog} t={t} title={t(`${words}Title`)} confirm={t(`${words}Confirm`)} danger busy={busy} error={error} rows={2} onReason={(reason) => void submit(reason)}>
        <p className="warning">{t(`${words}Body`)}</p>
      </ReasonDialog>
    </>
  );
}

/** What was done, and the link to print the person's card again (in the console's language). */
function PrintAgain(props: { t: T; done: string; entitlementId: string; locale: Locale; testId?: string }) {
  return (
    <p className="ok" role="status" data-testid={props.testId}>
      {props.done}{" "}
      <a href={`/api/entitlements/${props.entitlementId}/card?locale=${props.locale}`} download>
        {props.t("case.printNewCard")}
      </a>
    </p>
  );
}
