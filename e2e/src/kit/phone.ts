/**
 * What "usable on a cheap phone" means in the browser tests, as checks: the screen sizes, nothing
 * wider than the screen, the screen's main action whole on screen and not under anything (no
 * scrolling to reach it), no serious or critical accessibility problem (axe-core, injected into the
 * page), a server made unreachable the way a phone sees it, and stand-ins for a voice and a torch.
 */
import type { Locator, Page } from "playwright-core";

/** A common cheap Android phone's screen in CSS pixels, and a smaller, older one. */
export const PHONE = { width: 360, height: 740 } as const;
export const SMALL_PHONE = { width: 320, height: 568 } as const;
export const PHONE_LOCALES = ["en", "fr", "ar", "sw"] as const;

/**
 * Chromium flags that make `url`'s host and port unreachable (connections go to a closed port), as
 * a phone with no network sees a server: unlike the browser's offline switch, the service worker
 * sees the same failure as the page.
 *
 * @example
 * await launchPhone(profile, { args: unreachable("http://localhost:4101") });
 */
export function unreachable(url: string): string[] {
  const u = new URL(url);
  return [`--host-resolver-rules=MAP ${u.hostname}:${u.port || (u.protocol === "https:" ? "443" : "80")} 127.0.0.1:9`];
}

/**
 * Throws unless the page fits its viewport: no sideways overflow (the document or any visible
 * element), and `action` entirely on screen and on top (what a tap at its centre reaches).
 *
 * @example
 * await assertFits(page, page.getByTestId("hand-over"), "green answer (ar)");
 */
export async function assertFits(page: Page, action: Locator, label: string): Promise<void> {
  await action.waitFor({ state: "visible", timeout: 15_000 });
  const sideways = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const doc = document.documentElement.scrollWidth - vw;
    const wide = [...document.querySelectorAll("body *")]
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === "hidden") return false;
        return r.right > vw + 1 || r.left < -1;
      })
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${(el as HTMLElement).className} "${(el.textContent ?? "").slice(0, 30)}"`);
    return { doc, wide };
  });
  const box = await action.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {
      inside: r.top >= -0.5 && r.left >= -0.5 && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5,
      onTop: top !== null && (top === el || el.contains(top)),
      rect: `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)} in ${innerWidth}x${innerHeight}`,
      under: top && top !== el && !el.contains(top) ? `${top.tagName.toLowerCase()}.${(top as HTMLElement).className}` : "",
    };
  });
  const problems = [
    sideways.doc > 0 ? `the page is ${sideways.doc}px wider than the screen` : "",
    sideways.wide.length ? `sticking out sideways: ${sideways.wide.join("; ")}` : "",
    box.inside ? "" : `the main action is not whole on screen (${box.rect})`,
    box.onTop ? "" : `the main action is under ${box.under || "something"} (${box.rect})`,
  ].filter(Boolean);
  if (problems.length) throw new Error(`${label}: ${problems.join("; ")}`);
}

/** axe-core in the page (one copy, shared with the console story). */
export { assertAccessible } from "./accessibility";

/**
 * An init script giving the page voices for `langs` (e.g. ["sw-KE"]) and recording what is read
 * in `window.__spoken`: headless Chromium has no voices, a phone usually has some.
 *
 * @example
 * await context.addInitScript(voicesFor(["sw-KE"]));
 */
export function voicesFor(langs: readonly string[]): string {
  return `(() => {
    const voices = ${JSON.stringify(langs)}.map((lang) => ({ lang, name: "Test " + lang, localService: true, default: false, voiceURI: lang }));
    window.__spoken = [];
    const synth = new EventTarget();
    synth.getVoices = () => voices;
    synth.speak = (u) => window.__spoken.push({ text: u.text, lang: u.lang });
    synth.cancel = () => {};
    Object.defineProperty(window, "speechSynthesis", { value: synth, configurable: true });
  })();`;
}

/**
 * An init script giving camera tracks a torch (capabilities.torch) and recording each switch in
 * `window.__torch`: Chromium's fake camera has none, many phones' back cameras do.
 */
export const TORCH_INIT = `(() => {
  window.__torch = [];
  const proto = MediaStreamTrack.prototype;
  const caps = proto.getCapabilities;
  proto.getCapabilities = function () { return { ...(caps ? caps.call(this) : {}), torch: true }; };
  proto.applyConstraints = async function (c) { window.__torch.push(JSON.stringify(c)); };
})();`;
