/**
 * A big number pad for PINs: 64 px keys, the typed count shown as dots (never the digits), keyboard
 * typing too. Keys stay in 1-2-3 order even in right-to-left languages, as on phone dial pads.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { assertPinAcceptable } from "@haki/secure-store/vault";
import { errorText } from "./errors";
import { useI18n, type TFunction } from "./i18n";
import { Icon } from "./icons";

export interface PinPadProps {
  title: string;
  help?: string | undefined;
  error?: string | undefined;
  busy?: boolean;
  /** While set and in the future, keys are disabled and a countdown shows. */
  lockedUntil?: number | undefined;
  onSubmit: (pin: string) => void;
  /** Cleared after every submit. */
  resetKey?: unknown;
  maxLength?: number;
  minLength?: number;
}

/** The time left as a clock ("0:28", "4:05"): read the same way in every language. */
export function useWaitText(until: number | undefined): string | undefined {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!until || until <= Date.now()) return;
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [until]);
  if (!until || until <= now) return undefined;
  const s = Math.ceil((until - now) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function PinPad(props: PinPadProps): JSX.Element {
  const { t } = useI18n();
  const [pin, setPin] = useState("");
  const max = props.maxLength ?? 8;
  const min = props.minLength ?? 4;
  const wait = useWaitText(props.lockedUntil);
  const disabled = Boolean(props.busy || wait);

  useEffect(() => setPin(""), [props.resetKey]);

  const press = (d: string) => !disabled && setPin((p) => (p.length < max ? p + d : p));
  const erase = () => !disabled && setPin((p) => p.slice(0, -1));
  const submit = () => {
    if (disabled || pin.length < min) return;
    props.onSubmit(pin);
    setPin("");
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement) return;
      if (/^[0-9]$/.test(e.key)) press(e.key);
      else if (e.key === "Backspace") erase();
      else if (e.key === "Enter") submit();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <section class="pin" aria-busy={props.busy ? "true" : "false"}>
      <h1 class="pin-title">
        <Icon name="lock" /> {props.title}
      </h1>
      {props.help && <p class="help">{props.help}</p>}
      <div class="pin-dots" role="status" aria-label={t("pin.dots", { count: pin.length })} data-count={pin.length}>
        {Array.from({ length: Math.max(min, pin.length) }, (_, i) => (
          <span class={i < pin.length ? "dot on" : "dot"} />
        ))}
      </div>
      {wait ? (
        <p class="alert warn" role="alert" data-testid="pin-locked">
          <Icon name="clock" /> {t("pin.locked", { time: wait })}
        </p>
      ) : props.error ? (
        <p class="alert bad" role="alert" data-testid="pin-error">
          <Icon name="warn" /> {props.error}
        </p>
      ) : props.busy ? (
        <p class="alert" role="status">
          {t("pin.working")}
        </p>
      ) : null}
      <div class="keys" dir="ltr">
        {["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((d) => (
          <button type="button" class="key" disabled={disabled} onClick={() => press(d)} data-key={d}>
            {d}
          </button>
        ))}
        <button type="button" class="key key-side" disabled={disabled} onClick={erase} aria-label={t("pin.erase")}>
          <Icon name="erase" />
        </button>
        <button type="button" class="key" disabled={disabled} onClick={() => press("0")} data-key="0">
          0
        </button>
        <button
          type="button"
          class="key key-ok"
          disabled={disabled || pin.length < min}
          onClick={submit}
          aria-label={t("pin.enterButton")}
          data-key="ok"
        >
          <Icon name="check" />
        </button>
      </div>
    </section>
  );
}

/** How a screen choosing a new PIN moves on: the message line, the "same again" step, and back to the first entry. */
export interface NewPinSteps {
  setError: (error: string | undefined) => void;
  again: (first: string) => void;
  restart: () => void;
}

/**
 * One entry while choosing a new PIN (adding a person, changing the PIN, restoring a backup): the
 * first (`first` undefined) must be an acceptable PIN, then asked again; the second must be the
 * same, else it starts over. Returns the PIN once both entries agree, else undefined (the screen
 * was moved on through `steps`).
 *
 * @example
 * const pin = enterNewPin(typed, step === "confirm" ? first : undefined, t, { setError, again: (p) => { setFirst(p); setStep("confirm"); }, restart: () => setStep("pin") });
 * if (pin !== undefined) await save(pin);
 */
export function enterNewPin(entry: string, first: string | undefined, t: TFunction, steps: NewPinSteps): string | undefined {
  if (first !== undefined) {
    if (entry === first) return entry;
    steps.setError(t("pin.mismatch"));
    steps.restart();
    return undefined;
  }
  try {
    assertPinAcceptable(entry);
  } catch (e) {
    steps.setError(errorText(e, t));
    return undefined;
  }
  steps.setError(undefined);
  steps.again(entry);
  return undefined;
}

/**
 * `enterNewPin` for a screen with a "choose" and a "confirm" step: keeps the first entry and moves
 * the screen through `steps`. The function it returns gives the PIN once both entries agree.
 *
 * @example
 * const newPin = useNewPin(t, setError, step === "confirm", { again: () => setStep("confirm"), restart: () => setStep("pin") });
 * const pin = newPin(typed);
 * if (pin !== undefined) await save(pin);
 */
export function useNewPin(
  t: TFunction,
  setError: (error: string | undefined) => void,
  confirming: boolean,
  steps: { again: () => void; restart: () => void },
): (entry: string) => string | undefined {
  const [first, setFirst] = useState("");
  const again = (pin: string) => {
    setFirst(pin);
    steps.again();
  };
  return (entry) => enterNewPin(entry, confirming ? first : undefined, t, { setError, again, restart: steps.restart });
}
