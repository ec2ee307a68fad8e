import type { Locale } from "@haki/i18n/core";
import { errorCode } from "@haki/pwa/errors";
import { LocaleSelect, useBusyTask } from "@haki/pwa/preact";
import { useI18n } from "../i18n";
import { useState } from "preact/hooks";

export function EnrolScreen(props: {
  onLocale: (locale: Locale) => Promise<void>;
  online: boolean;
  scanned?: string;
  onScan: () => void;
  onEnrol: (code: string, label: string) => Promise<void>;
}) {
  const { t, locale } = useI18n();
  const [code, setCode] = useState(props.scanned ?? "");
  const [label, setLabel] = useState("");
  const { busy, error, run } = useBusyTask(errorCode);
  const submit = async (e: Event) => {
    e.preventDefault();
    await run(() => props.onEnrol(code, label));
  };
  // Scanning first (the usual way), the code box to paste into, "Set up", and the optional name
  // last: the buttons stay in view on a small phone in every language.
  return (
    <main class="screen">
      <div class="title-row">
        <h1>{t("enrol.title")}</h1>
        <LocaleSelect name="enrol-locale" label={t("settings.language")} value={locale} onChoose={(l) => void props.onLocale(l)} />
      </div>
      <p>{t("enrol.intro")}</p>
      {!props.online && <p class="warn">{t("enrol.needNetwork")}</p>}
      <button type="button" class="secondary" onClick={props.onScan}>
        {t("enrol.scanCode")}
      </button>
      <form id="enrol-form" onSubmit={submit} class="stack">
        <label>
          {t("enrol.codeLabel")}
          <textarea name="setup" rows={2} value={code} onInput={(e) => setCode(e.currentTarget.value)} required />
        </label>
        {error && (
          <p class="error" role="alert" data-code={error}>
            {t(`reason.${error}`)}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy || code.trim() === ""}>
          {busy ? t("enrol.working") : t("enrol.submit")}
        </button>
        <label>
          {t("enrol.deviceLabel")}
          <input name="label" value={label} maxLength={60} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
      </form>
    </main>
  );
}
