import { LocaleSelect } from "@haki/pwa/preact";
import { OperatorSettings } from "@haki/redemption/settings";
import { useState } from "preact/hooks";
import type { Enrolment } from "../../storage/db";
import { useI18n } from "../i18n";

/**
 * The supervisor's settings (behind the supervisor PIN): saved as soon as a value is valid, so
 * there is no button to find at the bottom of a long form on a small phone.
 */
export function SettingsScreen(props: {
  settings: OperatorSettings;
  enrolment: Enrolment | undefined;
  onSave: (s: OperatorSettings) => Promise<void>;
}) {
  const { t } = useI18n();
  const [s, setS] = useState(props.settings);
  const [state, setState] = useState<"idle" | "saved" | "invalid">("idle");
  const change = (next: OperatorSettings) => {
    setS(next);
    const parsed = OperatorSettings.safeParse(next);
    if (!parsed.success) return setState("invalid");
    void props.onSave(parsed.data).then(() => setState("saved"));
  };
  const num = (key: "maxTrustAgeHours" | "maxStatusAgeHours" | "presentationWindowSeconds", label: string) => (
    <label>
      {label}
      <input type="number" inputMode="numeric" name={key} value={s[key]} onInput={(e) => change({ ...s, [key]: Number(e.currentTarget.value) })} />
    </label>
  );
  const flag = (key: "sound" | "vibration" | "largeText" | "requireCounterCode", label: string) => (
    <label class="toggle">
      <input type="checkbox" name={key} checked={s[key]} onChange={(e) => change({ ...s, [key]: e.currentTarget.checked })} />
      {label}
    </label>
  );
  return (
    <main class="screen" data-testid="settings">
      <h1>{t("settings.title")}</h1>
      <p class={state === "invalid" ? "error" : "muted"} role="status" data-testid="settings-state" data-state={state}>
        {state === "invalid" ? t("settings.invalid") : state === "saved" ? t("settings.saved") : t("settings.autosave")}
      </p>
      <div class="stack">
        <label>
          {t("settings.language")}
          <LocaleSelect name="locale" value={s.locale} onChoose={(locale) => change({ ...s, locale })} />
        </label>
        {flag("largeText", t("settings.largeText"))}
        {flag("sound", t("settings.sound"))}
        {flag("vibration", t("settings.vibration"))}
        {num("maxTrustAgeHours", t("settings.trustAge"))}
        {num("maxStatusAgeHours", t("settings.statusAge"))}
        <label>
          {t("settings.whenOutdated")}
          <select name="whenOutdated" value={s.whenOutdated} onChange={(e) => change({ ...s, whenOutdated: e.currentTarget.value as OperatorSettings["whenOutdated"] })}>
            <option value="warn">{t("settings.outdatedWarn")}</option>
            <option value="refuse">{t("settings.outdatedRefuse")}</option>
          </select>
        </label>
        {num("presentationWindowSeconds", t("settings.window"))}
        {flag("requireCounterCode", t("settings.requireCounterCode"))}
        {props.enrolment && (
          <dl class="small">
            <dt>{t("settings.deviceId")}</dt>
            <dd>{props.enrolment.deviceId}</dd>
            <dt>{t("settings.issuer")}</dt>
            <dd>{props.enrolment.issuer}</dd>
          </dl>
        )}
      </div>
    </main>
  );
}
