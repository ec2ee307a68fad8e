/**
 * Read-aloud for a card: a function that reads text in the app's language where the phone has a
 * voice for it (`@haki/pwa/speech`), undefined otherwise, so the button is not even shown.
 */
import { useEffect, useState } from "preact/hooks";
import { findVoice, speak, watchVoices } from "@haki/pwa/speech";

export function useReadAloud(locale: string): ((text: string) => void) | undefined {
  const [hasVoice, setHasVoice] = useState(() => Boolean(findVoice(locale)));
  useEffect(() => {
    const check = () => setHasVoice(Boolean(findVoice(locale)));
    check();
    return watchVoices(check);
  }, [locale]);
  return hasVoice ? (text) => void speak(text, locale) : undefined;
}
