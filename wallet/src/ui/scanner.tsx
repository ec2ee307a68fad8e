/**
 * Camera QR scanning: BarcodeDetector where the browser has it (Android Chrome), else jsQR on
 * canvas frames (Chromium on Linux, Firefox). jsQR is loaded only when the camera opens.
 */
import type { JSX } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

interface Detector {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}

async function makeDecoder(): Promise<(canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D) => Promise<string | undefined>> {
  const BD = (globalThis as { BarcodeDetector?: new (o: { formats: string[] }) => Detector }).BarcodeDetector;
  if (BD) {
    const detector = new BD({ formats: ["qr_code"] });
    return async (canvas) => (await detector.detect(canvas))[0]?.rawValue;
  }
  const { default: jsQR } = await import("jsqr");
  return async (canvas, ctx) => {
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(img.data, img.width, img.height, { inversionAttempts: "dontInvert" })?.data;
  };
}

/** A live camera view that calls `onText` once with the first QR code it reads. */
export function Scanner(props: { onText: (text: string) => void; onError: (e: unknown) => void }): JSX.Element {
  const video = useRef<HTMLVideoElement>(null);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
        if (stopped || !video.current || !ctx) return;
        video.current.srcObject = stream;
        await video.current.play();
        setReady(true);
        const decode = await makeDecoder();
        const tick = async () => {
          if (stopped || !video.current) return;
          const v = video.current;
          if (v.videoWidth > 0) {
            // Downscale big frames: jsQR's time grows with pixels, and 640 px is plenty for a QR.
            const scale = Math.min(1, 640 / v.videoWidth);
            canvas.width = Math.round(v.videoWidth * scale);
            canvas.height = Math.round(v.videoHeight * scale);
            ctx.drawImage(v, 0, 0, canvas.width, canvas.height);
            const text = await decode(canvas, ctx).catch(() => undefined);
            if (text && !stopped) {
              stopped = true;
              props.onText(text);
              return;
            }
          }
          timer = setTimeout(() => void tick(), 150);
        };
        void tick();
      } catch (e) {
        if (!stopped) props.onError(e);
      }
    })();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);
  return <video ref={video} class={ready ? "camera on" : "camera"} muted playsInline aria-hidden="true" />;
}
