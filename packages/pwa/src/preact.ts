/**
 * The two Preact hooks both apps use: the update prompt of `./register` and read-aloud of
 * `./speech`.
 */
import { useEffect, useState } from "preact/hooks";
import { registerServiceWorker } from "./register";
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
