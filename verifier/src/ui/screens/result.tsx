import type { Decision } from "@haki/redemption/check";
import type { TFunction } from "../i18n";
import { describeBenefit } from "@haki/i18n/benefit";
import type { Locale } from "@haki/i18n";

export function ResultScreen(props: {
  t: TFunction;
  locale: Locale;
  decision: Decision;
  onHandOver: () => void;
  onNext: () => void;
  onDone: () => void;
}) {
  const { t, decision: d } = props;
  if (d.outcome === "red") {
    return (
      <div
        class="result red"
        data-testid="result"
        data-outcome="red"
        data-code={d.code}
        role="alert"
      >
        <div class="mark" aria-hidden="true">
          ✕
        </div>
        <h1>{t("result.red")}</h1>
        <p class="reason" data-testid="reason">
          {t(d.reasonKey, d.details)}
        </p>
        {d.displayName && <p class="name">{d.displayName}</p>}
        <div class="actions">
          <button type="button" class="light" onClick={props.onDone}>
            {t("result.done")}
          </button>
          <button type="button" class="light big" onClick={props.onNext}>
            {t("result.scanNext")}
          </button>
        </div>
      </div>
    );
  }
  const partial = d.redemption === "partial";
  return (
    <div class="result green" data-testid="result" data-outcome="green" role="status">
      <div class="mark" aria-hidden="true">
        ✓
      </div>
      <h1>{t("result.green")}</h1>
      <p class="muted-light">{t("result.mayReceive")}</p>
      <p class="benefit" data-testid="benefit">
        {describeBenefit(d.benefit, props.locale, partial ? { amount: d.available } : {})}
      </p>
      {d.displayName && (
        <div class="name-box">
          <span class="muted-light">{t("result.checkName")}</span>
          <p class="name" data-testid="display-name">
            {d.displayName}
          </p>
        </div>
      )}
      <p>{d.visualCheck ? t("result.visualCheck") : t("result.phoneCheck")}</p>
      <p class="small">
        {d.programme.name} · {d.cycle}
        {partial && (
          <>
            {" "}
            ·{" "}
            {t("result.available", {
              amount: describeBenefit(d.benefit, props.locale, { amount: d.available }),
            })}
          </>
        )}
      </p>
      <div class="actions">
        <button type="button" class="light" onClick={props.onDone}>
          {t("result.done")}
        </button>
        <button type="button" class="light big" data-testid="hand-over" onClick={props.onHandOver}>
          {t("result.handOver")}
        </button>
      </div>
    </div>
  );
}
