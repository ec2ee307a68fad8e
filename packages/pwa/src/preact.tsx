/**
 * The Preact pieces both apps use: the update prompt of `./register`, read-aloud of `./speech`, the
 * camera of `./scanner`, screens loaded on first use, the language picker, a screen's busy task with
 * its error, and the router's table of screens.
 */
import type { JSX, RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { LOCALES, LOCALE_NAMES, isLocale, type Locale } from "@haki/i18n/core";
import { errorCode } from "./errors";
import { registerServiceWorker } from "./register";
import { startQrScanner, type TorchControl } from "./scanner";
import { findVoice, speak, watchVoices } from "./speech";

/**
 * Registers the service worker (in production builds: pass `import.meta.env.PROD`) and returns the
 * function that applies a waiting update, or undefined while there is none.
 *
 * @example
 * const update = useUpdatePrompt({ url: "./sw.js", scope: "./", enabled: import.meta.env.PROD });
 * {update && <button onClick={update}>Update</button>}
 */
export function useUpdatePrompt(options: { url: string; scope: string; enabled: boolean }): (() => void) | undefined {
  const [apply, setApply] = useState<() => void>();
  useEffect(() => {
    if (options.enabled) registerServiceWorker({ url: options.url, scope: options.scope, onUpdate: (a) => setApply(() => a) });
  }, []);
  return apply;
}

/**
 * A function that reads text aloud in `locale`, or undefined when the device has no voice for it
 * (so the button is not even shown).
 *
 * @example
 * const readAloud = useReadAloud("sw");
 * {readAloud && <button onClick={() => readAloud(text)}>Soma kwa sauti</button>}
 */
export function useReadAloud(locale: string): ((text: string) => void) | undefined {
  const [hasVoice, setHasVoice] = useState(() => Boolean(findVoice(locale)));
  useEffect(() => {
    const check = () => setHasVoice(Boolean(findVoice(locale)));
    check();
    return watchVoices(check);
  }, [locale]);
  return hasVoice ? (text) => void speak(text, locale) : undefined;
}

export interface QrScannerState {
  /** "barcode-detector" or "jsqr" once the camera runs. */
  engine?: string;
  /** ERR_CAMERA_DENIED or ERR_NO_CAMERA when it cannot. */
  error?: string;
  /** The torch, where the camera has one. */
  torch?: { on: boolean; toggle: () => void };
}

/**
 * Runs the camera into `video` while mounted and calls `onText` once with the first QR code read.
 *
 * @example
 * const video = useRef<HTMLVideoElement>(null);
 * const scan = useQrScanner(video, (text) => check(text));
 * {scan.torch && <button onClick={scan.torch.toggle}>{scan.torch.on ? "Light off" : "Light on"}</button>}
 */
export function useQrScanner(video: RefObject<HTMLVideoElement | null>, onText: (text: string) => void, options: { accept?: (text: string) => boolean } = {}): QrScannerState {
  const latest = useRef(onText);
  latest.current = onText;
  const [engine, setEngine] = useState<string>();
  const [error, setError] = useState<string>();
  const [torch, setTorch] = useState<TorchControl>();
  const [torchOn, setTorchOn] = useState(false);
  useEffect(() => {
    let stop: (() => void) | undefined;
    let cancelled = false;
    if (!video.current) return;
    startQrScanner(video.current, (text) => latest.current(text), { once: true, ...(options.accept ? { accept: options.accept } : {}) })
      .then((s) => {
        if (cancelled) return s.stop();
        stop = () => s.stop();
        setEngine(s.engine);
        setTorch(s.torch);
      })
      .catch((e: unknown) => !cancelled && setError(errorCode(e)));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, []);
  const toggle = () => {
    if (!torch) return;
    // A camera that refuses the switch has no torch after all: the button goes.
    void torch.set(!torchOn).then(() => setTorchOn(torch.on), () => setTorch(undefined));
  };
  return { ...(engine ? { engine } : {}), ...(error ? { error } : {}), ...(torch ? { torch: { on: torchOn, toggle } } : {}) };
}

/** A screen's one running task and the error it left, from `useBusyTask`. */
export interface BusyTask<E> {
  busy: boolean;
  error: E | undefined;
  setError: (error: E | undefined) => void;
  /**
   * Clears the error and runs `task`, busy until it ends; what it throws becomes the error shown
   * (`fail` may do more and say what to show instead, undefined for nothing).
   */
  run: (task: () => Promise<void>, fail?: (e: unknown) => E | undefined) => Promise<void>;
}

/**
 * The busy flag and error line of a form: a screen says what to do and how a failure reads, not
 * the try/catch around it.
 *
 * @example
 * const { busy, error, run } = useBusyTask(errorCode);
 * <form onSubmit={(e) => (e.preventDefault(), void run(() => props.onEnrol(code)))}>
 * <button disabled={busy}>Set up</button>
 */
export function useBusyTask<E = string>(describe: (e: unknown) => E): BusyTask<E> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<E>();
  const run = async (task: () => Promise<void>, fail?: (e: unknown) => E | undefined) => {
    setError(undefined);
    setBusy(true);
    try {
      await task();
    } catch (e) {
      setError(fail ? fail(e) : describe(e));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/** The router's table: for each screen name, what to render, given that screen (narrowed by its name). */
export type Routes<S extends { name: string }> = { [N in S["name"]]: (screen: Extract<S, { name: N }>) => JSX.Element };

/**
 * An app's router as a table: the element for `screen` from `routes`. Without `otherwise` the
 * table must name every screen (the compiler checks it); with it, the screens it leaves out.
 *
 * @example
 * type Screen = { name: "home" } | { name: "result"; decision: Decision };
 * const body = routeTo(screen, { home: () => <Home />, result: (s) => <Result decision={s.decision} /> });
 */
export function routeTo<S extends { name: string }>(screen: S, routes: Routes<S>): JSX.Element;
export function routeTo<S extends { name: string }>(screen: S, routes: Partial<Routes<S>>, otherwise: (screen: S) => JSX.Element): JSX.Element;
export function routeTo<S extends { name: string }>(screen: S, routes: Partial<Routes<S>>, otherwise?: (screen: S) => JSX.Element): JSX.Element {
  // The overloads guarantee one of the two: a complete table, or a fallback.
  const render = (routes[screen.name as S["name"]] ?? otherwise) as (screen: S) => JSX.Element;
  return render(screen);
}

/**
 * A screen whose code loads on first use (the service worker precaches every chunk, so this costs
 * nothing offline): keeps what the first screen does not need out of the first load.
 *
 * @example
 * const Receipts = lazyScreen(() => import("./screens/receipts").then((m) => m.ReceiptsScreen)); // props typed from the screen
 */
export function lazyScreen<C extends (props: never) => JSX.Element>(load: () => Promise<C>): (props: Parameters<C>[0]) => JSX.Element {
  type P = Parameters<C>[0];
  // Typed by the screen `load` gives (inferred at the call): inside, any props object passes through.
  let Loaded: ((props: object) => JSX.Element) | undefined;
  let pending: Promise<void> | undefined;
  return function LazyScreen(props: P): JSX.Element {
    const [, setReady] = useState(Loaded !== undefined);
    useEffect(() => {
      if (Loaded) return;
      pending ??= load().then((c) => {
        Loaded = c as unknown as (props: object) => JSX.Element;
      });
      void pending.then(() => setReady(true));
    }, []);
    return Loaded ? <Loaded {...(props as object)} /> : <p role="status">…</p>;
  };
}

/**
 * A QR code drawn by @haki/qr/render (one rendering choice for all of Haki: error correction M,
 * 4-module quiet zone, black on white) as SVG, so it stays crisp at any size.
 *
 * @example
 * <QrCode text={proof} label={t("present.qrLabel")} />
 */
export function QrCode(props: { text: string; label: string }): JSX.Element {
  const [svg, setSvg] = useState<string>();
  useEffect(() => {
    let alive = true;
    void import("@haki/qr/render").then(({ renderQrSvg }) => renderQrSvg(props.text)).then((s) => alive && setSvg(s));
    return () => {
      alive = false;
    };
  }, [props.text]);
  // The SVG text comes from the QR renderer (paths only), never from user input.
  return <div class="qr" role="img" aria-label={props.label} data-payload-length={props.text.length} dangerouslySetInnerHTML={svg ? { __html: svg } : undefined} />;
}

/**
 * The language picker: each language named in its own script (and marked with its `lang`); only a
 * supported locale is handed to `onChoose`.
 *
 * @example
 * <LocaleSelect name="language" value={locale} onChoose={setLocale} label={t("settings.language")} />
 */
export function LocaleSelect(props: { name: string; value: Locale; onChoose: (locale: Locale) => void; label?: string }): JSX.Element {
  return (
    <select
      name={props.name}
      value={props.value}
      aria-label={props.label}
      onChange={(e) => {
        const chosen = e.currentTarget.value;
        if (isLocale(chosen)) props.onChoose(chosen);
      }}
    >
      {LOCALES.map((l) => (
        <option key={l} value={l} lang={l}>
          {LOCALE_NAMES[l]}
        </option>
      ))}
    </select>
  );
}
