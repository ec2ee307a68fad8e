import type { Decision } from "@haki/redemption/check";
import type { TFunction } from "../i18n";
import { formatBenefit, formatDay, localizeDetails } from "../lib/format";

export function ResultScreen(props: {
  t: TFunction;
  locale: string;
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
        <h1>
          {d.code === "ERR_CREDENTIAL_NOT_YET_VALID" ? t("result.notYetValid") : t("result.red")}
        </h1>
        <p class="reason" data-testid="reason">
          {t(d.reasonKey, localizeDetails(d.details, props.locale))}
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
      {d.outdated && (
        <p class="outdated" data-testid="outdated" data-days={d.outdated.days} role="note">
          {t("result.outdated", {
            count: d.outdated.days,
            updated: formatDay(d.outdated.updated, props.locale),
          })}
        </p>
      )}
      <p class="muted-light">{t("result.mayReceive")}</p>
      <p class="benefit" data-testid="benefit">
        {formatBenefit(d.benefit, props.locale, t, partial ? d.available : undefined)}
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
              amount: formatBenefit(d.benefit, props.locale, t, d.available),
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
