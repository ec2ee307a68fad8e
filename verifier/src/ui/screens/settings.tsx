import { LOCALES, LOCALE_NAMES } from "@haki/i18n";
import { OperatorSettings } from "@haki/redemption/settings";
import type { TFunction } from "../i18n";
import { useState } from "preact/hooks";
import type { Enrolment } from "../../storage/db";

export function SettingsScreen(props: {
  t: TFunction;
  settings: OperatorSettings;
  enrolment: Enrolment | undefined;
  onSave: (s: OperatorSettings) => Promise<void>;
}) {
  const { t } = props;
  const [s, setS] = useState(props.settings);
  const [saved, setSaved] = useState(false);
  const [invalid, setInvalid] = useState(false);
  const num = (
    key: "maxTrustAgeHours" | "maxStatusAgeHours" | "presentationWindowSeconds",
    label: string,
  ) => (
    <label>
      {label}
      <input
        type="number"
        inputMode="numeric"
        name={key}
        value={s[key]}
        onInput={(e) => setS({ ...s, [key]: Number(e.currentTarget.value) })}
      />
    </label>
  );
  const flag = (key: "sound" | "vibration" | "largeText", label: string) => (
    <label class="toggle">
      <input
        type="checkbox"
        name={key}
        checked={s[key]}
        onChange={(e) => setS({ ...s, [key]: e.currentTarget.checked })}
      />
      {label}
    </label>
  );
  const save = async () => {
    const parsed = OperatorSettings.safeParse(s);
    setInvalid(!parsed.success);
    if (!parsed.success) return;
    await props.onSave(parsed.data);
    setSaved(true);
  };
  return (
    <main class="screen">
      <h1>{t("settings.title")}</h1>
      <div class="stack">
        <label>
          {t("settings.language")}
          <select
            name="locale"
            value={s.locale}
            onChange={(e) =>
              setS({ ...s, locale: e.currentTarget.value as OperatorSettings["locale"] })
            }
          >
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        {num("maxTrustAgeHours", t("settings.trustAge"))}
        {num("maxStatusAgeHours", t("settings.statusAge"))}
        {num("presentationWindowSeconds", t("settings.window"))}
        {flag("sound", t("settings.sound"))}
        {flag("vibration", t("settings.vibration"))}
        {flag("largeText", t("settings.largeText"))}
        {invalid && <p class="error">{t("settings.invalid")}</p>}
        {props.enrolment && (
          <dl class="small">
            <dt>{t("settings.deviceId")}</dt>
            <dd>{props.enrolment.deviceId}</dd>
            <dt>{t("settings.issuer")}</dt>
            <dd>{props.enrolment.issuer}</dd>
          </dl>
        )}
      </div>
      <div class="actions">
        <button type="button" class="primary big" onClick={() => void save()}>
          {saved ? t("settings.saved") : t("settings.save")}
        </button>
      </div>
    </main>
  );
}
