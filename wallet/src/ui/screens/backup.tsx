/** Save a copy (encrypted file) and restore it on a new phone under a new PIN. */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { MIN_BACKUP_PASSWORD_LENGTH, readBackup } from "@haki/secure-store/backup";
import type { WalletDb } from "../../storage/db";
import type { Session } from "../../storage/profiles";
import { BACKUP_APP, exportProfileBackup, restoreProfileBackup } from "../../wallet/backup";
import { errorText } from "../errors";
import { useI18n } from "../i18n";
import { ErrorLine, Field } from "../form";
import { Icon } from "../icons";
import { InnerScreen } from "../screen-header";
import { useBusyTask } from "@haki/pwa/preact";
import { PinPad, useNewPin } from "../pin-pad";

export function Backup(props: { db: WalletDb; session: Session; onBack: () => void }): JSX.Element {
  const { t } = useI18n();
  const [pw, setPw] = useState("");
  const [pw2, setPw2] = useState("");
  const { busy, error, setError, run } = useBusyTask((e) => errorText(e, t));
  const [file, setFile] = useState<{ url: string; name: string }>();
  useEffect(() => () => file && URL.revokeObjectURL(file.url), [file]);

  return (
    <InnerScreen icon="save" title={t("backup.title")} onBack={props.onBack}>
      <p class="help">{t("backup.help")}</p>
      {file ? (
        <>
          <p class="alert good" role="status">
            <Icon name="check" /> {t("backup.ready")}
          </p>
          <a class="big primary button" href={file.url} download={file.name} data-testid="backup-download">
            <Icon name="save" /> {t("backup.download")}
          </a>
        </>
      ) : (
        <form
          class="stack"
          onSubmit={async (e) => {
            e.preventDefault();
            if ([...pw].length < MIN_BACKUP_PASSWORD_LENGTH) return setError(t("backup.weak"));
            if (pw !== pw2) return setError(t("backup.mismatch"));
            await run(async () => {
              const text = await exportProfileBackup(props.db, props.session, pw);
              const day = new Date().toISOString().slice(0, 10);
              const safe = props.session.profile.label.replace(/[^\p{L}\p{N}_-]+/gu, "-");
              setFile({ url: URL.createObjectURL(new Blob([text], { type: "application/json" })), name: `haki-${safe}-${day}.hakibackup` });
            });
          }}
        >
          <Field label={t("backup.password")}>
            <input name="password" type="password" autoComplete="new-password" value={pw} onInput={(e) => setPw(e.currentTarget.value)} />
          </Field>
          <Field label={t("backup.passwordAgain")}>
            <input name="password2" type="password" autoComplete="new-password" value={pw2} onInput={(e) => setPw2(e.currentTarget.value)} />
          </Field>
          {error && <ErrorLine>{error}</ErrorLine>}
          <button type="submit" class="big primary" disabled={busy}>
            {busy ? t("pin.working") : t("backup.make")}
          </button>
        </form>
      )}
    </InnerScreen>
  );
}

/** File + password first (checked before anything is written), then a new PIN for this phone. */
export function Restore(props: { db: WalletDb; onDone: (s: Session) => void; onBack: () => void }): JSX.Element {
  const { t } = useI18n();
  const [text, setText] = useState<string>();
  const [pw, setPw] = useState("");
  const [step, setStep] = useState<"file" | "pin" | "confirm">("file");
  const { busy, error, setError, run } = useBusyTask((e) => errorText(e, t));
  const newPin = useNewPin(t, setError, step === "confirm", { again: () => setStep("confirm"), restart: () => setStep("pin") });

  if (step === "pin" || step === "confirm") {
    return (
      <PinPad
        title={step === "pin" ? t("pin.choose") : t("pin.confirm")}
        help={step === "pin" ? t("pin.chooseHelp") : undefined}
        error={error}
        busy={busy}
        resetKey={step}
        onSubmit={async (p) => {
          if (newPin(p) === undefined) return;
          await run(
            async () => props.onDone(await restoreProfileBackup(props.db, text ?? "", pw, { pin: p })),
            (e) => {
              setStep("file");
              return errorText(e, t);
            },
          );
        }}
      />
    );
  }

  return (
    <InnerScreen icon="open" title={t("backup.restoreTitle")} onBack={props.onBack}>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          if (!text) return;
          await run(async () => {
            // Open the file now (nothing is written) so a wrong password is told before the PIN step.
            await readBackup(text, pw, { app: BACKUP_APP });
            setStep("pin");
          });
        }}
      >
        <Field label={t("backup.file")}>
          <input
            name="file"
            type="file"
            accept=".hakibackup,application/json,.json"
            onChange={async (e) => {
              const f = e.currentTarget.files?.[0];
              setText(f ? await f.text() : undefined);
            }}
          />
        </Field>
        <Field label={t("backup.restorePassword")}>
          <input name="password" type="password" autoComplete="current-password" value={pw} onInput={(e) => setPw(e.currentTarget.value)} />
        </Field>
        {error && <ErrorLine testId="restore-error">{error}</ErrorLine>}
        <button type="submit" class="big primary" disabled={busy || !text || !pw}>
          {busy ? t("pin.working") : t("backup.restore")}
        </button>
      </form>
    </InnerScreen>
  );
}
