import { describeBenefit } from "@haki/i18n/benefit";
import type { Decision } from "@haki/redemption/check";
import { useI18n } from "../i18n";
import { formatDay, localizeDetails } from "../format";
import { useReadAloud } from "@haki/pwa/preact";
import type { ComponentChildren } from "preact";

/**
 * The big mark and the title at the top of an answer, announced as a status (good news) or as an
 * alert (a refusal).
 */
export function ResultHead(props: { mark: ComponentChildren; title: ComponentChildren; alert: boolean }) {
  return (
    <div class="result-head" role={props.alert ? "alert" : "status"}>
      <span class="mark" aria-hidden="true">
        {props.mark}
      </span>
      <h1>{props.title}</h1>
    </div>
  );
}

/**
 * Read aloud (where there is a voice), Done and Scan next, at the bottom of either answer. `pinned`
 * keeps them (and `main`, the screen's main action) on screen while a long answer scrolls under
 * them: the ID card and bound card screens, whose names, photo and reasons outgrow a small phone.
 */
export function ResultActions(props: {
  read: (() => void) | undefined;
  next: string;
  onNext: () => void;
  onDone: () => void;
  pinned?: boolean;
  main?: ComponentChildren;
}) {
  const { t } = useI18n();
  return (
    <div class={props.pinned ? "actions pinned" : "actions"}>
      {props.main}
      {props.read && (
        <button type="button" class="light" data-testid="read-aloud" onClick={props.read}>
          {t("result.readAloud")}
        </button>
      )}
      <div class="row">
        <button type="button" class="light" onClick={props.onDone}>
          {t("result.done")}
        </button>
        <button type="button" class={props.next} onClick={props.onNext}>
          {t("result.scanNext")}
        </button>
      </div>
    </div>
  );
}

/**
 * The answer, full screen: green "Give" with what, to whom, and "Hand over" high enough to reach
 * without scrolling on a small phone; or red "Do not give" with the reason in plain words and whom
 * the person should contact. Read aloud where the device has a voice for the language.
 */
export function ResultScreen(props: {
  decision: Decision;
  onHandOver: () => void;
  onNext: () => void;
  onDone: () => void;
}) {
  const { t, locale } = useI18n();
  const { decision: d } = props;
  const readAloud = useReadAloud(locale);
  if (d.outcome === "red") {
    const title = d.code === "ERR_CREDENTIAL_NOT_YET_VALID" ? t("result.notYetValid") : t("result.red");
    const reason = t(d.reasonKey, localizeDetails(d.details, locale));
    const contact = d.details.contact ? t("result.contact", { contact: d.details.contact }) : undefined;
    return (
      <main class="result red" data-testid="result" data-outcome="red" data-code={d.code}>
        <ResultHead mark="✕" title={title} alert />
        <p class="reason" data-testid="reason" data-context={d.details.context}>
          {reason}
        </p>
        {contact && (
          <p class="contact" data-testid="contact">
            {contact}
          </p>
        )}
        {d.displayName && <p class="name">{d.displayName}</p>}
        <ResultActions read={readAloud && (() => readAloud([title, reason, contact].filter(Boolean).join(". ")))} next="light big" onNext={props.onNext} onDone={props.onDone} />
      </main>
    );
  }
  const partial = d.redemption === "partial";
  const benefit = describeBenefit(d.benefit, locale, partial ? { amount: d.available } : {});
  return (
    <main class="result green" data-testid="result" data-outcome="green">
      <ResultHead mark="✓" title={t("result.green")} alert={false} />
      {d.outdated && (
        <p class="outdated" data-testid="outdated" data-days={d.outdated.days} role="note">
          {t("result.outdated", { count: d.outdated.days, updated: formatDay(d.outdated.updated, locale) })}
        </p>
      )}
      <p class="benefit" data-testid="benefit">
        <span class="label-light">{t("result.mayReceive")}</span> {benefit}
      </p>
      {d.displayName && (
        <div class="name-box">
          <span class="label-light">{t("result.checkName")}</span>
          <p class="name" data-testid="display-name">
            {d.displayName}
          </p>
        </div>
      )}
      <button type="button" class="light big" data-testid="hand-over" onClick={props.onHandOver}>
        {t("result.handOver")}
      </button>
      <p class="small">{d.visualCheck ? t("result.visualCheck") : t("result.phoneCheck")}</p>
      <p class="small">
        {d.programme.name} · {d.cycle}
        {partial && <> · {t("result.available", { amount: describeBenefit(d.benefit, locale, { amount: d.available }) })}</>}
      </p>
      <ResultActions
        read={readAloud && (() => readAloud([t("result.green"), benefit, d.displayName ? `${t("result.checkName")}: ${d.displayName}` : ""].filter(Boolean).join(". ")))}
        next="light"
        onNext={props.onNext}
        onDone={props.onDone}
      />
    </main>
  );
}
