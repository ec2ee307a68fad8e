import type { GreenDecision } from "@haki/redemption/check";
import type { Receipt } from "@haki/redemption/receipts";
import type { TFunction } from "../i18n";
import { useState } from "preact/hooks";
import type { Locale } from "@haki/i18n";
import { benefitUnit, describeBenefit } from "@haki/i18n/benefit";
import { errorCode } from "@haki/pwa/errors";

export function RedeemScreen(props: {
  t: TFunction;
  locale: Locale;
  decision: GreenDecision;
  onConfirm: (amount: number | undefined) => Promise<void>;
  onCancel: () => void;
}) {
  const { t, decision: d, locale } = props;
  const partial = d.redemption === "partial";
  const [amount, setAmount] = useState(partial ? String(d.available) : "");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const value = partial ? Number(amount.replace(",", ".")) : undefined;
  const left =
    partial && value !== undefined && Number.isFinite(value) ? Math.max(0, d.available - value) : 0;

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm(value);
    } catch (e) {
      setError(errorCode(e));
      setBusy(false);
    }
  };

  return (
    <main class="screen" data-testid="redeem">
      <h1>{t("redeem.title")}</h1>
      {d.displayName && <p class="name-dark">{d.displayName}</p>}
      {partial ? (
        <div class="stack">
          <label>
            {t("redeem.amountLabel", { unit: benefitUnit(d.benefit) })}
            <input
              class="amount"
              data-testid="amount"
              type="text"
              inputMode="decimal"
              value={amount}
              onInput={(e) => setAmount(e.currentTarget.value)}
            />
          </label>
          <button type="button" class="secondary" onClick={() => setAmount(String(d.available))}>
            {t("redeem.whole", { amount: describeBenefit(d.benefit, locale, { amount: d.available }) })}
          </button>
          <p>{t("redeem.leftAfter", { amount: describeBenefit(d.benefit, locale, { amount: left }) })}</p>
        </div>
      ) : (
        <p class="benefit-dark">{describeBenefit(d.benefit, locale)}</p>
      )}
      {error && (
        <p class="error" role="alert" data-code={error}>
          {t(`reason.${error}`)}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t("redeem.cancel")}
        </button>
        <button
          type="button"
          class="primary big"
          data-testid="confirm"
          disabled={busy}
          onClick={() => void confirm()}
        >
          {t("redeem.confirm")}
        </button>
      </div>
    </main>
  );
}

export function RecordedScreen(props: {
  t: TFunction;
  locale: Locale;
  receipt: Receipt;
  onNext: () => void;
  onDone: () => void;
}) {
  const { t, receipt } = props;
  return (
    <main class="screen" data-testid="recorded" data-receipt={receipt.id}>
      <div class="mark ok" aria-hidden="true">
        ✓
      </div>
      <h1>{t("redeem.recorded")}</h1>
      <p>{t("redeem.receiptId", { id: receipt.id.slice(0, 8) })}</p>
      <div class="actions">
        <button type="button" class="secondary" onClick={props.onDone}>
          {t("result.done")}
        </button>
        <button type="button" class="primary big" onClick={props.onNext}>
          {t("result.scanNext")}
        </button>
      </div>
    </main>
  );
}
