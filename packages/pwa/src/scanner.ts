/**
 * Camera QR scanning for both PWAs: BarcodeDetector where the browser has it (most Android
 * phones), otherwise jsQR (loaded only then) on downscaled canvas frames. Frames are sampled on a
 * timer, not every animation frame, so a cheap phone stays responsive; jsQR alternates normal and
 * inverted frames so a code on a phone in dark mode reads too. Where the camera has a torch
 * (MediaStreamTrack capabilities), `torch` switches it, for dim shops and evening distributions.
 */
import { CameraError } from "./errors";

export { CameraError } from "./errors";

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
  /** Stop after the first code (default false: later, different codes are reported too). */
  once?: boolean;
  /** Codes this returns false for are skipped and the camera keeps looking (e.g. the card read before, still in view). */
  accept?: (text: string) => boolean;
}

/** The camera's torch, where the track says it has one. */
export interface TorchControl {
  readonly on: boolean;
  set(on: boolean): Promise<void>;
}

export interface QrScanner {
  /** Which decoder is in use (shown for support calls). */
  readonly engine: "barcode-detector" | "jsqr";
  /** Undefined when the camera has no torch (or the browser does not say). */
  readonly torch: TorchControl | undefined;
  stop(): void;
}

/** The part of MediaStreamTrack the torch needs (capabilities are not in every DOM typing). */
export interface TorchTrack {
  getCapabilities?: () => unknown;
  applyConstraints(constraints: MediaTrackConstraints): Promise<void>;
}

/**
 * A torch switch for a video track, or undefined when its capabilities do not list `torch`.
 *
 * @example
 * const torch = torchControl(stream.getVideoTracks()[0]);
 * if (torch) await torch.set(true);
 */
export function torchControl(track: TorchTrack | undefined): TorchControl | undefined {
  if (!track || typeof track.getCapabilities !== "function") return undefined;
  let caps: unknown;
  try {
    caps = track.getCapabilities();
  } catch {
    return undefined;
  }
  if ((caps as { torch?: unknown } | null)?.torch !== true) return undefined;
  let on = false;
  return {
    get on() {
      return on;
    },
    async set(next: boolean) {
      await track.applyConstraints({ advanced: [{ torch: next } as MediaTrackConstraintSet] });
      on = next;
    },
  };
}

async function nativeDetector(): Promise<BarcodeDetectorLike | undefined> {
  const Ctor = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  if (!Ctor) return undefined;
  try {
    return (await Ctor.getSupportedFormats()).includes("qr_code") ? new Ctor({ formats: ["qr_code"] }) : undefined;
  } catch {
    return undefined;
  }
}

async function openCamera(): Promise<MediaStream> {
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    });
  } catch (cause) {
    const name = (cause as { name?: string } | null)?.name;
    throw new CameraError(name === "NotAllowedError" || name === "SecurityError" ? "ERR_CAMERA_DENIED" : "ERR_NO_CAMERA", { cause });
  }
}

/**
 * Opens the back camera into `video` and calls `onText` with the text of each new QR code found
 * (only the first one with `once`). Throws `CameraError` when the camera cannot be opened.
 *
 * @example
 * const scanner = await startQrScanner(videoEl, (text) => check(text), { once: true });
 * if (scanner.torch) await scanner.torch.set(true);
 * scanner.stop();
 */
export async function startQrScanner(
  video: HTMLVideoElement,
  onText: (text: string) => void,
  options: ScannerOptions = {},
): Promise<QrScanner> {
  const stream = await openCamera();
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
    // jsQR's time grows with pixels; 640 px is plenty for a QR code held in front of the camera.
    const k = Math.min(1, maxSide / Math.max(video.videoWidth, video.videoHeight));
    canvas.width = Math.round(video.videoWidth * k);
    canvas.height = Math.round(video.videoHeight * k);
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const img = ctx.getImageData(0, 0, canvas.width, canvas.height);
    frame++;
    return jsQR(img.data, img.width, img.height, { inversionAttempts: frame % 2 ? "dontInvert" : "onlyInvert" })?.data;
  }

  const stop = () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };

  const tick = async () => {
    if (stopped) return;
    try {
      const text = await decodeFrame();
      if (text && text !== last && !stopped && (options.accept?.(text) ?? true)) {
        last = text;
        if (options.once) stop();
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
    torch: torchControl(stream.getVideoTracks()[0] as TorchTrack | undefined),
    stop,
  };
}
