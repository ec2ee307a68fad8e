import { benefitUnit, describeBenefit } from "@haki/i18n/benefit";
import { errorCode } from "@haki/pwa/errors";
import type { GreenDecision } from "@haki/redemption/check";
import type { Receipt } from "@haki/redemption/receipts";
import { useState } from "preact/hooks";
import { checkAmount } from "../../verifier/amount";
import { useI18n } from "../i18n";
import { Actions } from "../actions";

/**
 * The hand-over: the whole entitlement, or for a partial one the amount typed, checked as it is
 * typed ("left after this" only for an amount that can be handed over; an error otherwise).
 */
export function RedeemScreen(props: {
  decision: GreenDecision;
  onConfirm: (amount: number | undefined) => Promise<void>;
  onCancel: () => void;
}) {
  const { t, locale } = useI18n();
  const { decision: d } = props;
  const partial = d.redemption === "partial";
  const [amount, setAmount] = useState(partial ? String(d.available) : "");
  const [failed, setFailed] = useState<string>();
  const [busy, setBusy] = useState(false);
  const check = partial ? checkAmount(amount, d.available) : undefined;
  const problem = check && !check.ok ? check.code : failed;

  const confirm = async () => {
    if (check && !check.ok) return;
    setBusy(true);
    setFailed(undefined);
    try {
      await props.onConfirm(check?.ok ? check.amount : undefined);
    } catch (e) {
      setFailed(errorCode(e));
      setBusy(false);
    }
  };

  // The amount, what is left after it, and Confirm first; "all of it" and Cancel below.
  return (
    <main class="screen" data-testid="redeem">
      <h1>{t("redeem.title")}</h1>
      {d.displayName && <p class="name-dark">{d.displayName}</p>}
      {partial ? (
        <>
          <label>
            {t("redeem.amountLabel", { unit: benefitUnit(d.benefit) })}
            <input
              class="amount"
              data-testid="amount"
              type="text"
              inputMode="decimal"
              dir="ltr"
              value={amount}
              aria-invalid={check && !check.ok}
              onInput={(e) => {
                setFailed(undefined);
                setAmount(e.currentTarget.value);
              }}
            />
          </label>
          {check?.ok && (
            <p class="left-after" data-testid="left-after" data-left={check.left}>
              {t("redeem.leftAfter", { amount: describeBenefit(d.benefit, locale, { amount: check.left }) })}
            </p>
          )}
        </>
      ) : (
        <p class="benefit-dark">{describeBenefit(d.benefit, locale)}</p>
      )}
      {problem && (
        <p class="error" role="alert" data-code={problem} data-testid="redeem-error">
          {t(`reason.${problem}`)}
        </p>
      )}
      <button type="button" class="primary big" data-testid="confirm" disabled={busy || Boolean(check && !check.ok)} onClick={() => void confirm()}>
        {t("redeem.confirm")}
      </button>
      <Actions
        actions={[
          partial && { label: t("redeem.whole", { amount: describeBenefit(d.benefit, locale, { amount: d.available }) }), onClick: () => setAmount(String(d.available)) },
          { label: t("redeem.cancel"), onClick: props.onCancel },
        ]}
      />
    </main>
  );
}

export function RecordedScreen(props: { receipt: Receipt; onNext: () => void; onDone: () => void }) {
  const { t } = useI18n();
  const { receipt } = props;
  return (
    <main class="screen" data-testid="recorded" data-receipt={receipt.id}>
      <div class="mark ok" aria-hidden="true">
        ✓
      </div>
      <h1>{t("redeem.recorded")}</h1>
      <p>{t("redeem.receiptId", { id: receipt.id.slice(0, 8) })}</p>
      <Actions
        actions={[
          { label: t("result.scanNext"), main: true, onClick: props.onNext },
          { label: t("result.done"), onClick: props.onDone },
        ]}
      />
    </main>
  );
}
