/**
 * Loads a screen's code on first use. The service worker precaches every chunk, so this costs
 * nothing offline; it keeps the QR, presentation and backup code out of the first load.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

export function lazyScreen<P extends object>(load: () => Promise<(props: P) => JSX.Element>): (props: P) => JSX.Element {
  let Loaded: ((props: P) => JSX.Element) | undefined;
  let pending: Promise<void> | undefined;
  return function LazyScreen(props: P): JSX.Element {
    const [, setReady] = useState(Loaded !== undefined);
    useEffect(() => {
      if (Loaded) return;
      pending ??= load().then((c) => {
        Loaded = c;
      });
      void pending.then(() => setReady(true));
    }, []);
    return Loaded ? <Loaded {...props} /> : <p role="status">…</p>;
  };
}
