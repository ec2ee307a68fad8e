/**
 * A live camera view (`@haki/pwa` scanner) that calls `onText` once with the first QR code it
 * reads, or `onError` when the camera cannot be used; a torch button where the camera has one.
 */
import type { JSX } from "preact";
import { useEffect, useRef } from "preact/hooks";
import { useQrScanner } from "@haki/pwa/preact";
import { useI18n } from "./i18n";

export function Scanner(props: { onText: (text: string) => void; onError: (code: string) => void }): JSX.Element {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const scan = useQrScanner(video, props.onText);
  useEffect(() => {
    if (scan.error) props.onError(scan.error);
  }, [scan.error]);
  return (
    <>
      <video ref={video} class={scan.engine ? "camera on" : "camera"} muted playsInline aria-hidden="true" />
      {scan.torch && (
        <button type="button" class="big" aria-pressed={scan.torch.on} onClick={scan.torch.toggle}>
          {scan.torch.on ? t("receive.torchOff") : t("receive.torchOn")}
        </button>
      )}
    </>
  );
}
