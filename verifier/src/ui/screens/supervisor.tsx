import { errorCode } from "@haki/pwa/errors";
import { useBusyTask } from "@haki/pwa/preact";
import { useState } from "preact/hooks";
import type { VerifierDb } from "../../storage/db";
import { useI18n, type TFunction } from "../i18n";

/** Why the PIN was refused, in words: the wait while locked, a wrong PIN, or the storage's reason. */
function refusal(err: unknown, t: TFunction): string {
  const code = errorCode(err);
  const retryAt = (err as { retryAt?: number }).retryAt ?? 0;
  const wait = Math.ceil((retryAt - Date.now()) / 1000);
  return code === "ERR_PIN_LOCKED" || (code === "ERR_WRONG_PIN" && wait > 0)
    ? t("supervisor.locked", { time: `${Math.floor(wait / 60)}:${String(wait % 60).padStart(2, "0")}` })
    : code === "ERR_WRONG_PIN"
      ? t("supervisor.wrong")
      : t(`reason.${code}`);
}

/**
 * The door to the settings: the supervisor chooses a PIN the first time (twice), then types it
 * each time the settings open. Wrong tries wait longer and longer; the wait survives a reload.
 */
export function SupervisorScreen(props: { db: VerifierDb; choosing: boolean; onOpen: () => void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState("");
  const [again, setAgain] = useState("");
  const { busy, error, setError, run } = useBusyTask((err) => refusal(err, t));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (props.choosing && pin !== again) return setError(t("supervisor.mismatch"));
    await run(
      async () => {
        const { checkSupervisorPin, setSupervisorPin } = await import("../../verifier/supervisor");
        if (props.choosing) await setSupervisorPin(props.db, pin);
        else await checkSupervisorPin(props.db, pin);
        props.onOpen();
      },
      (err) => {
        setPin("");
        setAgain("");
        return refusal(err, t);
      },
    );
  };

  return (
    <main class="screen" data-testid="supervisor">
      <h1>{props.choosing ? t("supervisor.chooseTitle") : t("supervisor.title")}</h1>
      <p>{props.choosing ? t("supervisor.chooseHelp") : t("supervisor.help")}</p>
      <form id="supervisor-form" class="stack" onSubmit={(e) => void submit(e)}>
        <label>
          {t("supervisor.pin")}
          <input name="supervisor-pin" type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={pin} onInput={(e) => setPin(e.currentTarget.value)} />
        </label>
        {props.choosing && (
          <label>
            {t("supervisor.again")}
            <input name="supervisor-pin-again" type="password" inputMode="numeric" autoComplete="off" maxLength={8} value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
          </label>
        )}
        {error && (
          <p class="error" role="alert" data-testid="supervisor-error">
            {error}
          </p>
        )}
      </form>
      <div class="actions">
        <button type="submit" form="supervisor-form" class="primary big" disabled={busy || pin.length < 4}>
          {props.choosing ? t("supervisor.save") : t("supervisor.open")}
        </button>
      </div>
    </main>
  );
}
