import { errorCode } from "@haki/pwa/errors";
import { startQrScanner, type TorchControl } from "@haki/pwa/scanner";
import { useEffect, useRef, useState } from "preact/hooks";
import type { TFunction } from "../i18n";

/** The camera: the first code read goes to `onText`; a torch button where the camera has one. */
export function ScanScreen(props: { t: TFunction; title: string; onText: (text: string) => void; onCancel: () => void }) {
  const { t } = props;
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string>();
  const [engine, setEngine] = useState<string>();
  const [torch, setTorch] = useState<TorchControl>();
  const [torchOn, setTorchOn] = useState(false);
  const onText = useRef(props.onText);
  onText.current = props.onText;

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    if (!video.current) return;
    startQrScanner(video.current, (text) => onText.current(text), { once: true })
      .then((s) => {
        if (cancelled) return s.stop();
        stop = () => s.stop();
        setEngine(s.engine);
        setTorch(s.torch);
      })
      .catch((e: unknown) => setError(errorCode(e)));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);

  return (
    <main class="screen scan" data-testid="scanner" data-engine={engine ?? ""}>
      <h1>{props.title}</h1>
      <div class="viewfinder">
        <video ref={video} muted playsInline />
        <div class="frame" aria-hidden="true" />
      </div>
      {error && (
        <p class="error" role="alert" data-code={error}>
          {error === "ERR_CAMERA_DENIED" ? t("scan.cameraDenied") : t("scan.noCamera")}
        </p>
      )}
      <div class="actions">
        {torch && (
          <button
            type="button"
            class="secondary"
            data-testid="torch"
            aria-pressed={torchOn}
            onClick={() => void torch.set(!torchOn).then(() => setTorchOn(torch.on), () => setTorch(undefined))}
          >
            {torchOn ? t("scan.torchOff") : t("scan.torchOn")}
          </button>
        )}
        <button type="button" class="secondary big" onClick={props.onCancel}>
          {t("scan.cancel")}
        </button>
      </div>
    </main>
  );
}
