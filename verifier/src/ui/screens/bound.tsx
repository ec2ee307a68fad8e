import "./id-screens.css";
import { describeBenefit } from "@haki/i18n/benefit";
import type { GreenDecision } from "@haki/redemption/check";
import type { BoundCardAnswer } from "../../verifier/bound-card";
import { useI18n, type TFunction } from "../i18n";
import { Actions } from "../actions";
import { ResultActions, ResultHead } from "./result";

/** A bound paper card checked: the next step is the person's ID card (or the lack of one). */
export function BoundAskScreen(props: { decision: GreenDecision; onScanId: () => void; onNoId: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const { decision: d } = props;
  return (
    <main class="screen" data-testid="bound-ask">
      <h1>{t("bound.title")}</h1>
      <p>{t("bound.help")}</p>
      {d.displayName && <p class="name">{d.displayName}</p>}
      <Actions
        actions={[
          { label: t("bound.scanId"), main: true, testId: "scan-id", onClick: props.onScanId },
          { label: t("bound.noId"), testId: "no-id", onClick: props.onNoId },
          { label: t("scan.cancel"), onClick: props.onCancel },
        ]}
      />
    </main>
  );
}

function reasonOf(t: TFunction, a: BoundCardAnswer, rule: "refuse" | "visual-check"): string {
  if (a.failed === "id" && a.id && !a.id.valid) return `${t("bound.reason.idFailed", { reason: t(`identity.reason.${a.id.reason}`, a.id.details) })} ${t(rule === "refuse" ? "bound.ruleRefuse" : "bound.ruleVisual")}`;
  const known = t(`bound.reason.${a.code}`, { defaultValue: "" }) || t("bound.reason.ERR_BINDING_INVALID");
  if (a.outcome === "accept" || a.code === "BINDING_MISMATCH") return known;
  return `${known} ${t(rule === "refuse" ? "bound.ruleRefuse" : "bound.ruleVisual")}`;
}

/**
 * The answer for a bound card: green "card and ID card match" with Hand over; a visual check with
 * Hand over; or red with the check that failed, in plain words.
 */
export function BoundResultScreen(props: { decision: GreenDecision; answer: BoundCardAnswer; onHandOver: () => void; onNext: () => void; onDone: () => void }) {
  const { t, locale } = useI18n();
  const { decision: d, answer: a } = props;
  const rule = d.idBinding?.rule ?? "refuse";
  const reason = reasonOf(t, a, rule);
  const give = a.outcome !== "refuse";
  const idName = a.id?.valid ? a.id.view.fullName : undefined;
  return (
    <main class={`result ${a.outcome === "accept" ? "green" : a.outcome === "visual-check" ? "amber" : "red"}`} data-testid="bound-result" data-outcome={a.outcome} data-code={a.code} data-failed={a.failed ?? ""}>
      <ResultHead mark={a.outcome === "accept" ? "✓" : a.outcome === "visual-check" ? "!" : "✕"} title={a.outcome === "accept" ? t("result.green") : a.outcome === "visual-check" ? t("bound.visualCheck") : t("bound.refuse")} alert={!give} />
      <p class="reason" data-testid="reason">
        {reason}
      </p>
      {give && (
        <p class="benefit">
          <span class="label-light">{t("result.mayReceive")}</span> {describeBenefit(d.benefit, locale, d.redemption === "partial" ? { amount: d.available } : {})}
        </p>
      )}
      {(d.displayName || idName) && (
        <div class="name-box">
          <span class="label-light">{t("result.checkName")}</span>
          <p class="name" data-testid="display-name">
            {d.displayName ?? idName}
          </p>
          {a.id?.valid && a.id.view.photo && <img class="id-photo" src={a.id.view.photo} alt="" />}
        </div>
      )}
      <ResultActions
        read={undefined}
        next="light"
        onNext={props.onNext}
        onDone={props.onDone}
        pinned
        main={
          give && (
            <button type="button" class="light big" data-testid="hand-over" onClick={props.onHandOver}>
              {t("result.handOver")}
            </button>
          )
        }
      />
    </main>
  );
}
