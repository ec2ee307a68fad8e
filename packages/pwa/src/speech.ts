/**
 * Read-aloud with the browser's speech synthesis, for people who read little: only where the phone
 * has a voice for the language (an offline system voice on most Android phones), silent otherwise:
 * no network voice, no wrong-language voice reading Swahili with English sounds.
 */

/** The part of `window.speechSynthesis` used here (tests and older typings). */
export interface SpeechLike {
  getVoices(): { lang: string; name: string; localService?: boolean }[];
  speak(utterance: SpeechSynthesisUtterance): void;
  cancel(): void;
  addEventListener?(type: "voiceschanged", listener: () => void): void;
  removeEventListener?(type: "voiceschanged", listener: () => void): void;
}

function synth(): SpeechLike | undefined {
  return typeof speechSynthesis === "undefined" ? undefined : (speechSynthesis as unknown as SpeechLike);
}

/**
 * A voice for `locale` ("sw" matches "sw-KE"), preferring one on the device; undefined when none.
 *
 * @example
 * if (findVoice("sw")) showReadAloudButton();
 */
export function findVoice(locale: string, speech: SpeechLike | undefined = synth()): ReturnType<SpeechLike["getVoices"]>[number] | undefined {
  const voices = speech?.getVoices() ?? [];
  const lang = locale.toLowerCase();
  const fits = voices.filter((v) => v.lang.toLowerCase().replace("_", "-").split("-")[0] === lang);
  return fits.find((v) => v.localService) ?? fits[0];
}

/**
 * Reads `text` in `locale`'s voice (stopping anything still being read); false when there is none.
 *
 * @example
 * speak("Give. KES 3,000. Amina Wanjiru.", "en");
 */
export function speak(text: string, locale: string, speech: SpeechLike | undefined = synth()): boolean {
  const voice = findVoice(locale, speech);
  if (!speech || !voice || typeof SpeechSynthesisUtterance === "undefined") return false;
  speech.cancel();
  const u = new SpeechSynthesisUtterance(text);
  u.lang = voice.lang;
  try {
    u.voice = voice as SpeechSynthesisVoice;
  } catch {
    // Not a platform voice object (a polyfill): the language alone picks the voice.
  }
  u.rate = 0.9;
  speech.speak(u);
  return true;
}

/**
 * Calls `onChange` when the list of voices changes (browsers load it after the page); returns the
 * function that stops watching.
 *
 * @example
 * const stop = watchVoices(() => setHasVoice(Boolean(findVoice(locale))));
 */
export function watchVoices(onChange: () => void, speech: SpeechLike | undefined = synth()): () => void {
  speech?.addEventListener?.("voiceschanged", onChange);
  return () => speech?.removeEventListener?.("voiceschanged", onChange);
}
