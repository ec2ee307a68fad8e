/** Adding a card: scan the office's QR or paste the link, type the code if asked, wait, done. */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { WalletDb } from "../../storage/db";
import type { Session } from "../../storage/profiles";
import type { CredentialOfferObject, OfferSummary } from "../../wallet/receive";
import { errorText } from "../errors";
import { useI18n } from "../i18n";
import { ErrorLine } from "../form";
import { Icon } from "../icons";
import { InnerScreen } from "../screen-header";
import { ScanOrPaste } from "../scan-or-paste";

const loadReceive = () => import("../../wallet/receive");

export function Receive(props: {
  db: WalletDb;
  session: Session;
  initialOffer?: string | undefined;
  onDone: (id: string) => void;
  onBack: () => void;
}): JSX.Element {
  const { t } = useI18n();
  const [offer, setOffer] = useState<{ offer: CredentialOfferObject; summary: OfferSummary }>();
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const start = async (value: string) => {
    setError(undefined);
    setBusy(true);
    try {
      const mod = await loadReceive();
      const read = await mod.readOffer(value);
      if (read.summary.txCode) {
        setOffer(read);
        setBusy(false);
        return;
      }
      props.onDone(await mod.receiveAndStore(props.db, props.session, read.offer));
    } catch (e) {
      setError(errorText(e, t));
      setBusy(false);
    }
  };

  const finish = async () => {
    if (!offer) return;
    setError(undefined);
    setBusy(true);
    try {
      const mod = await loadReceive();
      props.onDone(await mod.receiveAndStore(props.db, props.session, offer.offer, { txCode: code.trim() }));
    } catch (e) {
      const c = (e as { code?: string }).code;
      setError(errorText(e, t));
      if (c !== "ERR_TX_CODE_WRONG") setOffer(undefined);
      setBusy(false);
    }
  };

  useEffect(() => {
    if (props.initialOffer) void start(props.initialOffer);
  }, []);

  return (
    <InnerScreen icon="card" title={t("receive.title")} onBack={props.onBack}>
      {error && (
        <ErrorLine testId="receive-error">{error}</ErrorLine>
      )}
      {busy && (
        <p class="alert" role="status">
          {t("receive.working")}
        </p>
      )}
      {offer ? (
        <form
          class="stack"
          onSubmit={(e) => {
            e.preventDefault();
            void finish();
          }}
        >
          <label class="field">
            <span class="label">{t("receive.txCode", { length: offer.summary.txCode?.length ?? 6 })}</span>
            <input
              name="txCode"
              value={code}
              inputMode={offer.summary.txCode?.inputMode === "text" ? "text" : "numeric"}
              autoComplete="one-time-code"
              maxLength={offer.summary.txCode?.length ?? 32}
              onInput={(e) => setCode(e.currentTarget.value)}
            />
            {/* The wallet's own words (the offer's description is the office's, in one language). */}
            <span class="help">{t("receive.txCodeHelp")}</span>
          </label>
          <button type="submit" class="big primary" disabled={busy || !code.trim()}>
            <Icon name="check" /> {t("receive.go")}
          </button>
        </form>
      ) : (
        <ScanOrPaste
          words={{ scan: "receive.scan", scanHelp: "receive.scanHelp", stopScan: "receive.stopScan", link: "receive.link", go: "receive.go" }}
          name="offer"
          placeholder={t("receive.linkPlaceholder")}
          initial={props.initialOffer}
          busy={busy}
          onText={(v) => void start(v)}
          onCameraError={() => setError(t("receive.noCamera"))}
        />
      )}
    </InnerScreen>
  );
}
