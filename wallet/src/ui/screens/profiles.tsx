/** Who is using the phone, adding a person (name, PIN twice), and unlocking with a PIN. */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { FREE_ATTEMPTS } from "@haki/secure-store/throttle";
import type { WalletDb } from "../../storage/db";
import { changeProfilePin, createProfile, getPinThrottle, unlockProfile, type ProfileSummary, type Session } from "../../storage/profiles";
import { putRecord } from "../../storage/records";
import { errorText } from "../errors";
import { useI18n } from "../i18n";
import { BigButton, Icon } from "../icons";
import { PinPad, useNewPin } from "../pin-pad";
import { BackLink } from "../screen-header";
import { useBusyTask } from "@haki/pwa/preact";

export function ProfilePicker(props: {
  profiles: ProfileSummary[];
  onPick: (p: ProfileSummary) => void;
  onAdd: () => void;
  onRestore: () => void;
}): JSX.Element {
  const { t } = useI18n();
  return (
    <section class="stack">
      <h1>{props.profiles.length ? t("profiles.who") : t("profiles.welcome")}</h1>
      <ul class="list" role="list">
        {props.profiles.map((p) => (
          <li>
            <button type="button" class={`big person c-${p.color}`} onClick={() => props.onPick(p)} data-profile={p.label}>
              <span class="avatar" aria-hidden="true">
                {[...p.label][0]?.toUpperCase()}
              </span>
              <span>{p.label}</span>
            </button>
          </li>
        ))}
      </ul>
      <BigButton icon="plus" primary onClick={props.onAdd}>
        {t("profiles.add")}
      </BigButton>
      <BigButton icon="open" onClick={props.onRestore}>
        {t("profiles.restore")}
      </BigButton>
    </section>
  );
}

/** Name, then PIN, then the same PIN again; creates the profile and its holder key. */
export function CreateProfile(props: { db: WalletDb; onDone: (s: Session) => void; onCancel: () => void }): JSX.Element {
  const { t } = useI18n();
  const [step, setStep] = useState<"name" | "pin" | "confirm">("name");
  const [label, setLabel] = useState("");
  const { busy, error, setError, run } = useBusyTask((e) => errorText(e, t));
  const newPin = useNewPin(t, setError, step === "confirm", { again: () => setStep("confirm"), restart: () => setStep("pin") });

  if (step === "name") {
    return (
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (label.trim()) setStep("pin");
        }}
      >
        <h1>
          <Icon name="person" /> {t("profiles.add")}
        </h1>
        <label class="field">
          <span class="label">
            <Icon name="person" /> {t("profiles.nameLabel")}
          </span>
          <input
            name="label"
            value={label}
            maxLength={40}
            autoComplete="off"
            required
            onInput={(e) => setLabel(e.currentTarget.value)}
          />
          <span class="help">{t("profiles.nameHelp")}</span>
        </label>
        <button type="submit" class="big primary" disabled={!label.trim()}>
          {t("profiles.next")}
        </button>
        <button type="button" class="big" onClick={props.onCancel}>
          {t("cancel")}
        </button>
      </form>
    );
  }
  if (step === "pin") {
    return (
      <PinPad
        title={t("pin.choose")}
        help={t("pin.chooseHelp")}
        error={error}
        resetKey={step}
        onSubmit={(pin) => void newPin(pin)}
      />
    );
  }
  return (
    <PinPad
      title={t("pin.confirm")}
      busy={busy}
      error={error}
      resetKey={step}
      onSubmit={async (pin) => {
        if (newPin(pin) === undefined) return;
        await run(async () => {
          // The key code (Ed25519, did:key) loads while the PIN is being stretched.
          const [s, { createHolderKey }] = await Promise.all([createProfile(props.db, { label: label.trim(), pin }), import("../../wallet/holder-key")]);
          await createHolderKey(props.db, s);
          props.onDone(s);
        });
      }}
    />
  );
}

/** PIN entry with the stored throttle: the countdown survives reloads. */
export function Unlock(props: { db: WalletDb; profile: ProfileSummary; onDone: (s: Session) => void; onBack: () => void }): JSX.Element {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [lockedUntil, setLockedUntil] = useState<number>();
  const [tries, setTries] = useState(0);

  useEffect(() => {
    void getPinThrottle(props.db, props.profile.id, Date.now()).then((g) => {
      if (!g.allowed) setLockedUntil(g.retryAt);
    });
  }, [props.profile.id]);

  return (
    <section class="stack">
      <BackLink onBack={props.onBack} label={t("profiles.switch")} />
      <PinPad
        title={`${props.profile.label}: ${t("pin.enter")}`}
        busy={busy}
        error={error}
        lockedUntil={lockedUntil}
        resetKey={tries}
        onSubmit={async (pin) => {
          setBusy(true);
          try {
            const s = await unlockProfile(props.db, props.profile.id, pin);
            props.onDone(s);
          } catch (e) {
            const err = e as { code?: string; failures?: number; retryAt?: number };
            if (err.code === "ERR_PIN_LOCKED" || (err.code === "ERR_WRONG_PIN" && err.retryAt && err.retryAt > Date.now())) {
              // The wait says it all; when it ends, the pad is clean (no stale "wrong PIN").
              setError(undefined);
              setLockedUntil(err.retryAt);
            } else if (err.code === "ERR_WRONG_PIN") {
              const left = FREE_ATTEMPTS - (err.failures ?? 0);
              setError(left > 0 ? `${t("pin.wrong")} ${t("pin.triesLeft", { count: left })}` : t("pin.wrong"));
            } else {
              setError(errorText(e, t));
            }
            setTries((n) => n + 1);
          } finally {
            setBusy(false);
          }
        }}
      />
    </section>
  );
}

/** Current PIN (throttled like an unlock), new PIN, the same again; only the data key is re-wrapped. */
export function ChangePin(props: { db: WalletDb; session: Session; onDone: (s: Session) => void; onBack: () => void }): JSX.Element {
  const { t } = useI18n();
  const [step, setStep] = useState<"current" | "new" | "confirm">("current");
  const [current, setCurrent] = useState("");
  const { busy, error, setError, run } = useBusyTask((e) => errorText(e, t));
  const [lockedUntil, setLockedUntil] = useState<number>();
  const newPin = useNewPin(t, setError, step === "confirm", { again: () => setStep("confirm"), restart: () => setStep("new") });
  const titles = { current: t("pin.current"), new: t("pin.choose"), confirm: t("pin.confirm") };
  return (
    <section class="stack">
      <BackLink onBack={props.onBack} />
      <PinPad
        title={titles[step]}
        error={error}
        busy={busy}
        lockedUntil={lockedUntil}
        resetKey={step}
        onSubmit={async (pin) => {
          if (step === "current") {
            setCurrent(pin);
            setError(undefined);
            return setStep("new");
          }
          const next = newPin(pin);
          if (next === undefined) return;
          await run(
            async () => {
              const s = await changeProfilePin(props.db, props.session.profile.id, current, next);
              const at = new Date().toISOString();
              await putRecord(props.db, s, "history", `${Date.parse(at)}-${crypto.randomUUID()}`, { at, event: "pin-changed" });
              props.onDone(s);
            },
            (e) => {
              const err = e as { code?: string; retryAt?: number };
              const locked = err.code === "ERR_PIN_LOCKED" || (err.code === "ERR_WRONG_PIN" && (err.retryAt ?? 0) > Date.now());
              setLockedUntil(locked ? err.retryAt : undefined);
              setStep("current");
              return locked ? undefined : errorText(e, t);
            },
          );
        }}
      />
    </section>
  );
}
