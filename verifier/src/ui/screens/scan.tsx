import { useQrScanner } from "@haki/pwa/preact";
import { counterCodes } from "@haki/redemption/counter-code";
import { useEffect, useRef, useState } from "preact/hooks";
import { useI18n } from "../i18n";

/**
 * This counter's code now (issue 12, relay), renewed when its window ends: the person types it into
 * their wallet, which signs it into the phone's QR code, so a photo of that code fails elsewhere.
 */
function useCounterCode(secret: (() => Promise<CryptoKey>) | undefined): string | undefined {
  const [code, setCode] = useState<string>();
  useEffect(() => {
    if (!secret) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let alive = true;
    const tick = async () => {
      const now = await counterCodes(await secret(), new Date());
      if (!alive) return;
      setCode(now.current);
      timer = setTimeout(() => void tick(), Math.max(1_000, now.changesAt.getTime() - Date.now() + 50));
    };
    void tick().catch(() => setCode(undefined));
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [secret !== undefined]);
  return code;
}

/**
 * The camera: the first code read (that `accept` takes) goes to `onText`; a torch button where the
 * camera has one; this counter's code when `counterSecret` is given (scanning benefit cards).
 */
export function ScanScreen(props: {
  title: string;
  onText: (text: string) => void;
  onCancel: () => void;
  accept?: (text: string) => boolean;
  counterSecret?: () => Promise<CryptoKey>;
}) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const scan = useQrScanner(video, props.onText, props.accept ? { accept: props.accept } : {});
  const code = useCounterCode(props.counterSecret);
  return (
    <main class="screen scan" data-testid="scanner" data-engine={scan.engine ?? ""}>
      <h1>{props.title}</h1>
      {code && (
        <div class="counter-code" data-testid="counter-code" data-code={code}>
          <p class="code" aria-live="polite">
            {t("scan.counterCode", { code: code.split("").join("\u00a0") })}
          </p>
          <p class="muted small">{t("scan.counterCodeHelp")}</p>
        </div>
      )}
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
