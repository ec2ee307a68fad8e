/**
 * Camera QR scanning: BarcodeDetector where the browser has it, otherwise jsQR (loaded only then)
 * on downscaled canvas frames. Frames are sampled on a timer, not every animation frame, so a
 * cheap phone stays responsive; jsQR alternates normal and inverted frames so a QR code on a
 * phone in dark mode reads too.
 */

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorCtor {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

export interface ScannerOptions {
  /** Milliseconds between decode attempts (default 150 with BarcodeDetector, 220 with jsQR). */
  intervalMs?: number;
  /** Longest side of the frame jsQR looks at (default 640). */
  maxSide?: number;
}

export interface Scanner {
  /** Which decoder is in use (shown in the settings for support calls). */
  readonly engine: "barcode-detector" | "jsqr";
  stop(): void;
}

/** Thrown when the camera cannot be opened; `code` says why. */
export class CameraError extends Error {
  constructor(
    readonly code: "ERR_CAMERA_DENIED" | "ERR_NO_CAMERA",
    options?: { cause?: unknown },
  ) {
    super(code === "ERR_CAMERA_DENIED" ? "Camera permission denied" : "No camera", options);
    this.name = "CameraError";
  }
}

async function nativeDetector(): Promise<BarcodeDetectorLike | undefined> {
  const Ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (!Ctor) return undefined;
  try {
    return (await Ctor.getSupportedFormats()).includes("qr_code")
      ? new Ctor({ formats: ["qr_code"] })
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens the back camera into `video` and calls `onText` with the first QR code text found (and
 * again for later, different codes until stopped).
 *
 * @example
 * const scanner = await startScanner(videoEl, (text) => { scanner.stop(); check(text); });
 */
export async function startScanner(
  video: HTMLVideoElement,
  onText: (text: string) => void,
  options: ScannerOptions = {},
): Promise<Scanner> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: {
        facingMode: { ideal: "environment" },
        width: { ideal: 1280 },
        height: { ideal: 720 },
      },
    });
  } catch (cause) {
    const name = (cause as { name?: string } | null)?.name;
    throw new CameraError(
      name === "NotAllowedError" || name === "SecurityError"
        ? "ERR_CAMERA_DENIED"
        : "ERR_NO_CAMERA",
      { cause },
    );
  }
  video.srcObject = stream;
  video.muted = true;
  video.setAttribute("playsinline", "");
  await video.play().catch(() => undefined);

  const detector = await nativeDetector();
  const jsQR = detector ? undefined : (await import("jsqr")).default;
  const interval = options.intervalMs ?? (detector ? 150 : 220);
  const maxSide = options.maxSide ?? 640;
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let frame = 0;
  let last = "";

  async function decodeFrame(): Promise<string | undefined> {
    if (video.readyState < 2 || video.videoWidth === 0) return undefined;
    if (detector) return (await detector.detect(video))[0]?.rawValue;
    if (!ctx || !jsQR) return undefined;
    const k = Math.min(1, maxSide / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * k);
    canvas.height = Math.round(video.videoHeight * k);
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    frame++;
    return jsQR(img.data, img.width, img.height, {
      inversionAttempts: frame % 2 ? "dontInvert" : "onlyInvert",
    })?.data;
  }

  const tick = async () => {
    if (stopped) return;
    try {
      const text = await decodeFrame();
      if (text && text !== last && !stopped) {
        last = text;
        onText(text);
      }
    } catch {
      // A frame that fails to decode is just skipped.
    }
    if (!stopped) timer = setTimeout(() => void tick(), interval);
  };
  timer = setTimeout(() => void tick(), 50);

  return {
    engine: detector ? "barcode-detector" : "jsqr",
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const track of stream.getTracks()) track.stop();
      video.srcObject = null;
    },
  };
}
