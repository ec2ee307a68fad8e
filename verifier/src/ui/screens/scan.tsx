import { useQrScanner } from "@haki/pwa/preact";
import { useRef } from "preact/hooks";
import type { TFunction } from "../i18n";

/** The camera: the first code read (that `accept` takes) goes to `onText`; a torch button where the camera has one. */
export function ScanScreen(props: { t: TFunction; title: string; onText: (text: string) => void; onCancel: () => void; accept?: (text: string) => boolean }) {
  const { t } = props;
  const video = useRef<HTMLVideoElement>(null);
  const scan = useQrScanner(video, props.onText, props.accept ? { accept: props.accept } : {});
  return (
    <main class="screen scan" data-testid="scanner" data-engine={scan.engine ?? ""}>
      <h1>{props.title}</h1>
      <div class="viewfinder">
        <video ref={video} muted playsInline />
        <div class="frame" aria-hidden="true" />
      </div>
      {scan.error && (
        <p class="error" role="alert" data-code={scan.error}>
          {scan.error === "ERR_CAMERA_DENIED" ? t("scan.cameraDenied") : t("scan.noCamera")}
        </p>
      )}
      <div class="actions">
        {scan.torch && (
          <button type="button" class="secondary" data-testid="torch" aria-pressed={scan.torch.on} onClick={scan.torch.toggle}>
            {scan.torch.on ? t("scan.torchOff") : t("scan.torchOn")}
          </button>
        )}
        <button type="button" class="secondary big" onClick={props.onCancel}>
          {t("scan.cancel")}
        </button>
      </div>
    </main>
  );
}
