/** Settings: text size, language, PIN, and the backup file. */
import type { JSX } from "preact";
import { LanguageSelect, useI18n } from "../i18n";
import { BigButton, Icon } from "../icons";
import { InnerScreen } from "../screen-header";
import { TEXT_SIZES, type TextSize } from "../text-size";

export function Settings(props: {
  textSize: TextSize;
  onTextSize: (size: TextSize) => void;
  onChangePin: () => void;
  onBackup: () => void;
  onBack: () => void;
}): JSX.Element {
  const { t } = useI18n();
  return (
    <InnerScreen icon="gear" title={t("settings.title")} onBack={props.onBack}>
      <fieldset class="choices">
        <legend class="label">{t("settings.textSize")}</legend>
        {(Object.keys(TEXT_SIZES) as TextSize[]).map((size) => (
          <label class={`choice size-${size}`}>
            <input type="radio" name="textSize" value={size} checked={props.textSize === size} onChange={() => props.onTextSize(size)} />
            <span>{t(`settings.size.${size}`)}</span>
          </label>
        ))}
      </fieldset>
      <label class="field">
        <span class="label">
          <Icon name="globe" /> {t("language")}
        </span>
        <LanguageSelect name="settings-language" />
      </label>
      <BigButton icon="lock" onClick={props.onChangePin}>
        {t("pin.change")}
      </BigButton>
      <BigButton icon="save" onClick={props.onBackup}>
        {t("menu.backup")}
      </BigButton>
    </InnerScreen>
  );
}
