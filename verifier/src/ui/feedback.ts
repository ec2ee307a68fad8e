let audio: AudioContext | undefined;

/**
 * A short sound and vibration for the answer, where the device supports them: two rising tones
 * for green, one low long tone for red, so the operator knows without looking.
 *
 * @example
 * signalResult("green", { sound: true, vibration: true });
 */
export function signalResult(
  outcome: "green" | "red",
  options: { sound: boolean; vibration: boolean },
): void {
  if (options.vibration && typeof navigator.vibrate === "function") {
    navigator.vibrate(outcome === "green" ? 120 : [250, 120, 250]);
  }
  if (!options.sound || typeof AudioContext === "undefined") return;
  try {
    audio ??= new AudioContext();
    const ctx = audio;
    const tones =
      outcome === "green"
        ? [
            [880, 0, 0.12],
            [1320, 0.14, 0.16],
          ]
        : [[220, 0, 0.5]];
    for (const [freq, start, length] of tones as [number, number, number][]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = outcome === "green" ? "sine" : "square";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.25, ctx.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + start + length);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + start);
      osc.stop(ctx.currentTime + start + length);
    }
  } catch {
    // No audio (autoplay policy, no output device): the screen still says it all.
  }
}
