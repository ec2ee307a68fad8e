/**
 * Showing a card at the counter: one tap makes a fresh holder-signed proof and shows it as a big
 * QR code on white, with the time it is still good for; a new code is made by itself before a
 * service point would refuse the old one as too old. The screen is kept awake (Wake Lock API,
 * re-taken when the page comes back) and the app does not offer updates while this is open.
 * Where the counter shows a counter code, the person may type it: the next QR code carries it
 * (signed), and works only at that counter (issue 12, relay).
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { WalletDb } from "../../storage/db";
import type { Session } from "../../storage/profiles";
import { createProof, recordPresented } from "../../wallet/present";
import { isCounterCode } from "@haki/redemption/counter-code";
import { useI18n } from "../i18n";
import { BigButton, Icon } from "../icons";
import { QrCode } from "@haki/pwa/preact";

/** How long service points accept a phone's code (their default window, `presentationWindowSeconds`). */
export const PROOF_SECONDS = 120;
/** A new code is made when this many seconds are left, so the counter never scans one about to expire. */
export const RENEW_WITH_SECONDS_LEFT = 20;

/** Seconds left of a code made at `createdAt`, ticking; a new round starts when it runs low. */
function useTimeLeft(createdAt: Date | undefined, onLow: () => void): number | undefined {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  const left = createdAt ? Math.min(PROOF_SECONDS, Math.max(0, Math.ceil(PROOF_SECONDS - (now - createdAt.getTime()) / 1000))) : undefined;
  useEffect(() => {
    if (left !== undefined && left <= RENEW_WITH_SECONDS_LEFT) onLow();
  }, [left !== undefined && left <= RENEW_WITH_SECONDS_LEFT]);
  return left;
}

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

/** Holds a screen wake lock while mounted, where the browser has one. */
export function useWakeLock(): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    let lock: WakeLockSentinel | undefined;
    let alive = true;
    const take = async () => {
      try {
        if (!("wakeLock" in navigator) || document.visibilityState !== "visible") return;
        lock = await navigator.wakeLock.request("screen");
        if (!alive) void lock.release();
        setHeld(true);
        lock.addEventListener("release", () => setHeld(false));
      } catch {
        setHeld(false);
      }
    };
    const onVisible = () => document.visibilityState === "visible" && void take();
    void take();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      alive = false;
      document.removeEventListener("visibilitychange", onVisible);
      void lock?.release();
    };
  }, []);
  return held;
}

export function Present(props: {
  db: WalletDb;
  session: Session;
  id: string;
  jwt: string;
  label: string;
  onDone: () => void;
}): JSX.Element {
  const { t } = useI18n();
  const [proof, setProof] = useState<{ payload: string; createdAt: Date; counterCode?: string }>();
  const [typed, setTyped] = useState("");
  const counterCode = isCounterCode(typed) ? typed : undefined;
  const [failed, setFailed] = useState(false);
  const [round, setRound] = useState(0);
  const awake = useWakeLock();
  const left = useTimeLeft(proof?.createdAt, () => setRound((r) => r + 1));

  useEffect(() => {
    let alive = true;
    setFailed(false);
    createProof(props.db, props.session, props.jwt, counterCode ? { counterCode } : {})
      .then((p) => {
        if (!alive) return;
        setProof(counterCode ? { ...p, counterCode } : p);
        if (round === 0) void recordPresented(props.db, props.session, props.id, props.label).catch(() => undefined);
      })
      .catch(() => alive && setFailed(true));
    return () => {
      alive = false;
    };
  }, [props.id, round, counterCode]);

  return (
    <section class="present" data-awake={awake ? "yes" : "no"}>
      <h1>{t("present.title")}</h1>
      <p class="present-label">{props.label}</p>
      {proof ? (
        <>
          <div class="qr-box" data-testid="proof-qr" data-created={proof.createdAt.toISOString()} data-counter-code={proof.counterCode ?? ""}>
            <QrCode text={proof.payload} label={t("cards.show")} />
          </div>
          {proof.counterCode && <p class="help" data-testid="counter-code-for">{t("present.counterCodeFor", { code: proof.counterCode })}</p>}
          <p class="time-left" role="timer" aria-live="off" data-testid="time-left" data-seconds={left}>
            <Icon name="clock" /> {t("present.timeLeft", { time: clock(left ?? PROOF_SECONDS) })}
          </p>
        </>
      ) : failed ? (
        <p class="alert bad" role="alert">
          {t("present.failed")}
        </p>
      ) : (
        <p role="status">{t("pin.working")}</p>
      )}
      <label class="counter-code">
        {t("present.counterCode")}
        <input
          type="text"
          inputMode="numeric"
          autocomplete="off"
          maxLength={4}
          pattern="[0-9]{4}"
          data-testid="counter-code"
          value={typed}
          aria-describedby="counter-code-help"
          onInput={(e) => {
            const digits = e.currentTarget.value.replace(/\D/g, "").slice(0, 4);
            e.currentTarget.value = digits;
            setTyped(digits);
          }}
        />
        <span id="counter-code-help" class="help">
          {t("present.counterCodeHelp")}
        </span>
      </label>
      {awake && <p class="help">{t("present.awake")}</p>}
      <BigButton icon="refresh" onClick={() => setRound((r) => r + 1)}>
        {t("present.refresh")}
      </BigButton>
      <BigButton icon="check" primary onClick={props.onDone}>
        {t("present.done")}
      </BigButton>
    </section>
  );
}
