/**
 * The Preact pieces both apps use: the update prompt of `./register`, read-aloud of `./speech`, the
 * camera of `./scanner`, screens loaded on first use, the language picker, a screen's busy task with
 * its error, and the router's table of screens (some loaded on first use).
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

/** A screen of the router's table whose module loads on first use, from `lazyModule(...).route`. */
export interface LazyRoute<S> {
  readonly load: () => Promise<unknown>;
  readonly render: (module: unknown, screen: S) => JSX.Element;
}

/** One entry of the router's table: what to render for a screen, now or once its module has loaded. */
export type Route<S> = ((screen: S) => JSX.Element) | LazyRoute<S>;

/** The router's table: for each screen name, its route, given that screen (narrowed by its name). */
export type Routes<S extends { name: string }> = { [N in S["name"]]: Route<Extract<S, { name: N }>> };

/** A module loaded on first use, from `lazyModule`: `route` draws a screen from it. */
export interface LazyModule<M> {
  route<S>(render: (module: M, screen: S) => JSX.Element): LazyRoute<S>;
}

/**
 * A module that loads on first use (its own chunk; the service worker precaches every chunk, so
 * this costs nothing offline), for a route whose screen it draws: keeps what the first screen does
 * not need out of the first load.
 *
 * @example
 * receipts: lazyModule(() => import("./screens/receipts")).route(({ ReceiptsScreen }) => <ReceiptsScreen items={items} />),
 */
export function lazyModule<M>(load: () => Promise<M>): LazyModule<M> {
  return {
    // The router hands `render` only what this route's own `load` gave (a route name loads one module).
    route: (render) => ({ load, render: (module, screen) => render(module as M, screen) }),
  };
}

/** An app's router over the screens `S`, from `screenRouter`. */
export interface ScreenRouter<S extends { name: string }> {
  /**
   * The element for `screen` from `routes`. Without `otherwise` the table must name every screen
   * (the compiler checks it); with it, the screens it leaves out.
   */
  routeTo(screen: S, routes: Routes<S>): JSX.Element;
  routeTo(screen: S, routes: Partial<Routes<S>>, otherwise: Route<S>): JSX.Element;
}

/**
 * An app's router as a table of its screens, some loaded on first use (`lazyModule`). It keeps the
 * modules its lazy routes loaded, by screen name, so a screen seen once opens at once after: make
 * one router per table (at module level), and let each route name load one module.
 *
 * @example
 * type Screen = { name: "home" } | { name: "result"; decision: Decision };
 * const router = screenRouter<Screen>();
 * const body = router.routeTo(screen, {
 *   home: () => <Home />,
 *   result: lazyModule(() => import("./screens/result")).route(({ Result }, s) => <Result decision={s.decision} />),
 * });
 */
export function screenRouter<S extends { name: string }>(): ScreenRouter<S> {
  const loaded = new Map<RouteId, unknown>();
  function routeTo(screen: S, routes: Partial<Routes<S>>, otherwise?: Route<S>): JSX.Element {
    const own = routes[screen.name as S["name"]] as Route<S> | undefined;
    // The overloads guarantee one of the two: a complete table, or a fallback.
    const route = (own ?? otherwise) as Route<S>;
    if (typeof route === "function") return route(screen);
    const id: RouteId = own ? screen.name : OTHERWISE;
    return <LazyScreenRoute key={id} id={id} route={route} screen={screen} loaded={loaded} />;
  }
  return { routeTo };
}

const OTHERWISE = Symbol("otherwise");
type RouteId = string | typeof OTHERWISE;

function LazyScreenRoute<S>(props: { id: RouteId; route: LazyRoute<S>; screen: S; loaded: Map<RouteId, unknown> }): JSX.Element {
  const { id, loaded } = props;
  const [, setReady] = useState(loaded.has(id));
  useEffect(() => {
    if (loaded.has(id)) return;
    let mounted = true;
    void props.route.load().then((module) => {
      loaded.set(id, module);
      if (mounted) setReady(true);
    });
    return () => {
      mounted = false;
    };
  }, []);
  return loaded.has(id) ? props.route.render(loaded.get(id), props.screen) : <p role="status">…</p>;
}

/**
 * A screen whose code loads on first use, where a route shows one of two screens (so neither is the
 * route's own): keeps what the first screen does not need out of the first load.
 *
 * @example
 * const Supervisor = lazyScreen(() => import("./screens/supervisor").then((m) => m.SupervisorScreen)); // props typed from the screen
 */
export function lazyScreen<C extends (props: never) => JSX.Element>(load: () => Promise<C>): (props: Parameters<C>[0]) => JSX.Element {
  type P = Parameters<C>[0];
  const loaded = new Map<RouteId, unknown>();
  const route = lazyModule(load).route((Screen: C, props: P) => {
    // Typed by the screen `load` gives (inferred at the call): inside, any props object passes through.
    const Loaded = Screen as unknown as (props: object) => JSX.Element;
    return <Loaded {...(props as object)} />;
  });
  return function LazyScreen(props: P): JSX.Element {
    return <LazyScreenRoute id="screen" route={route} screen={props} loaded={loaded} />;
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
