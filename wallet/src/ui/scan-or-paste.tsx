/**
 * The camera or a pasted link: the first part of adding a card and of answering a service's
 * request. `words` names the i18n keys of the screen (scan, scanHelp, stopScan, link, go).
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import { useI18n } from "./i18n";
import { BigButton } from "./icons";
import { Scanner } from "./scanner";

export function ScanOrPaste(props: {
  words: { scan: string; scanHelp: string; stopScan: string; link: string; go: string };
  name: string;
  placeholder: string;
  initial?: string | undefined;
  busy: boolean;
  testId?: string;
  onText: (text: string) => void;
  onCameraError: () => void;
}): JSX.Element {
  const { t } = useI18n();
  const [text, setText] = useState(props.initial ?? "");
  const [scanning, setScanning] = useState(false);
  return (
    <>
      {scanning ? (
        <div class="stack">
          <p class="help">{t(props.words.scanHelp)}</p>
          <Scanner
            onText={(v) => {
              setScanning(false);
              setText(v);
              props.onText(v);
            }}
            onError={() => {
              setScanning(false);
              props.onCameraError();
            }}
          />
          <button type="button" class="big" onClick={() => setScanning(false)}>
            {t(props.words.stopScan)}
          </button>
        </div>
      ) : (
        <BigButton icon="camera" primary testId={props.testId} disabled={props.busy} onClick={() => setScanning(true)}>
          {t(props.words.scan)}
        </BigButton>
      )}
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) props.onText(text.trim());
        }}
      >
        <label class="field">
          <span class="label">{t(props.words.link)}</span>
          <input name={props.name} value={text} dir="ltr" placeholder={props.placeholder} autoComplete="off" onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button type="submit" class="big" disabled={props.busy || !text.trim()}>
          {t(props.words.go)}
        </button>
      </form>
    </>
  );
}
