import type { TFunction } from "../i18n";
import { useEffect, useRef, useState } from "preact/hooks";
import { CameraError, startScanner } from "../lib/scanner";

export function ScanScreen(props: {
  t: TFunction;
  title: string;
  onText: (text: string) => void;
  onCancel: () => void;
}) {
  const { t } = props;
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string>();
  const [engine, setEngine] = useState<string>();
  const onText = useRef(props.onText);
  onText.current = props.onText;

  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    let done = false;
    if (!video.current) return;
    startScanner(video.current, (text) => {
      if (done) return;
      done = true;
      stop?.();
      onText.current(text);
    })
      .then((s) => {
        if (cancelled) s.stop();
        else {
          stop = () => s.stop();
          setEngine(s.engine);
        }
      })
      .catch((e: unknown) => setError(e instanceof CameraError ? e.code : "ERR_NO_CAMERA"));
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
        <p class="error" role="alert">
          {error === "ERR_CAMERA_DENIED" ? t("scan.cameraDenied") : t("scan.noCamera")}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary big" onClick={props.onCancel}>
          {t("scan.cancel")}
        </button>
      </div>
    </main>
  );
}
