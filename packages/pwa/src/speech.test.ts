import { afterEach, describe, expect, it, vi } from "vitest";
import { findVoice, speak, type SpeechLike } from "./speech";

class Utterance {
  lang = "";
  voice: unknown;
  rate = 1;
  constructor(readonly text: string) {}
}

function fakeSpeech(voices: { lang: string; name: string; localService?: boolean }[]) {
  const spoken: Utterance[] = [];
  const speech: SpeechLike = { getVoices: () => voices, speak: (u) => spoken.push(u as unknown as Utterance), cancel: vi.fn() };
  return { speech, spoken };
}

afterEach(() => vi.unstubAllGlobals());

describe("speech", () => {
  it("reads in a voice of the language, preferring one on the device", () => {
    vi.stubGlobal("SpeechSynthesisUtterance", Utterance);
    const { speech, spoken } = fakeSpeech([
      { lang: "en-GB", name: "Daniel" },
      { lang: "sw_KE", name: "Network Swahili" },
      { lang: "sw-TZ", name: "Swahili", localService: true },
    ]);
    expect(findVoice("sw", speech)?.name).toBe("Swahili");
    expect(speak("Mpe. KES 3,000.", "sw", speech)).toBe(true);
    expect(spoken).toEqual([expect.objectContaining({ text: "Mpe. KES 3,000.", lang: "sw-TZ" })]);
    expect(speech.cancel).toHaveBeenCalled();
  });

  it("stays silent without a voice for the language, or without speech synthesis", () => {
    vi.stubGlobal("SpeechSynthesisUtterance", Utterance);
    const { speech, spoken } = fakeSpeech([{ lang: "en-US", name: "Samantha" }]);
    expect(speak("Donner.", "fr", speech)).toBe(false);
    expect(spoken).toEqual([]);
    expect(speak("Give.", "en", undefined)).toBe(false);
  });
});
