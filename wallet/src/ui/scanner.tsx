/**
 * A live camera view (`@haki/pwa/scanner`) that calls `onText` once with the first QR code it reads;
 * a torch button where the camera has one.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { startQrScanner, type TorchControl } from "@haki/pwa/scanner";
import { useI18n } from "./i18n";

export function Scanner(props: { onText: (text: string) => void; onError: (e: unknown) => void }): JSX.Element {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [ready, setReady] = useState(false);
  const [torch, setTorch] = useState<TorchControl>();
  const [torchOn, setTorchOn] = useState(false);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    if (!video.current) return;
    startQrScanner(video.current, (text) => props.onText(text), { once: true })
      .then((s) => {
        if (cancelled) return s.stop();
        stop = () => s.stop();
        setReady(true);
        setTorch(s.torch);
      })
      .catch((e: unknown) => !cancelled && props.onError(e));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);
  return (
    <>
      <video ref={video} class={ready ? "camera on" : "camera"} muted playsInline aria-hidden="true" />
      {torch && (
        <button type="button" class="big" aria-pressed={torchOn} onClick={() => void torch.set(!torchOn).then(() => setTorchOn(torch.on), () => setTorch(undefined))}>
          {torchOn ? t("receive.torchOff") : t("receive.torchOn")}
        </button>
      )}
    </>
  );
}
