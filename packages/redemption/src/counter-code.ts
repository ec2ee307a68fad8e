/**
 * The counter code: a short number the verifier's scan screen shows, which the person types into
 * their wallet before it makes the QR code. The wallet signs it into the presentation (its
 * `nonce`), so a photo of that QR code names the counter it was made for, and another counter
 * refuses it ("this code was made for another counter").
 *
 * Design (offline on both sides, nothing to store per window):
 * - each verifier device holds a random secret, a non-extractable Web Crypto HMAC-SHA-256 key made
 *   once on the device (`createCounterSecret`), never sent anywhere;
 * - time is cut in windows of `COUNTER_CODE_WINDOW_SECONDS` (3 minutes, the size of a phone code's
 *   own window); the code of window `w` is HMAC(secret, "haki-counter-code/v1/" + w), truncated to
 *   4 decimal digits as HOTP does (RFC 4226 dynamic truncation);
 * - a device accepts the code of the current window and of the one before, so a code read just
 *   before it changes still works for one more window (a code is good for 3 to 6 minutes).
 * Two counters' codes are independent: a photo made for counter A passes at counter B only if B's
 * current or previous code happens to be the same, about 2 in 10,000.
 */

/** Length of one counter code window. */
export const COUNTER_CODE_WINDOW_SECONDS = 180;
/** Digits in a counter code. */
export const COUNTER_CODE_DIGITS = 4;

const COUNTER_CODE = /^\d{4}$/;
const LABEL = "haki-counter-code/v1/";

/**
 * True when `text` has the shape of a counter code (4 digits).
 *
 * @example
 * isCounterCode("0427"); // true
 */
export function isCounterCode(text: string | undefined): text is string {
  return text !== undefined && COUNTER_CODE.test(text);
}

/**
 * A new device secret for counter codes: a random HMAC-SHA-256 key that cannot be read out of the
 * device (IndexedDB stores the key object itself).
 *
 * @example
 * const secret = await createCounterSecret(); // put it in the device's store once
 */
export async function createCounterSecret(): Promise<CryptoKey> {
  return crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign"]);
}

/** The window a moment falls in. */
export function counterWindow(at: Date): number {
  return Math.floor(at.getTime() / 1000 / COUNTER_CODE_WINDOW_SECONDS);
}

/**
 * The code of one window for this device's secret.
 *
 * @example
 * await counterCodeFor(secret, counterWindow(new Date())); // "0427"
 */
export async function counterCodeFor(secret: CryptoKey, window: number): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", secret, new TextEncoder().encode(`${LABEL}${window}`)));
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(bin % 10 ** COUNTER_CODE_DIGITS).padStart(COUNTER_CODE_DIGITS, "0");
}

/** What the scan screen shows and what the check accepts at one moment. */
export interface CounterCodes {
  /** The code to show now. */
  current: string;
  /** When `current` stops being shown (the next window starts). */
  changesAt: Date;
  /** Codes a proof may carry now: the current window's and the previous one's. */
  accepted: string[];
}

/**
 * The counter codes of a device at `now`.
 *
 * @example
 * const codes = await counterCodes(secret, new Date());
 * show(codes.current); // and pass codes.accepted to checkProof's context as counterCodes
 */
export async function counterCodes(secret: CryptoKey, now: Date): Promise<CounterCodes> {
  const w = counterWindow(now);
  const [current, previous] = await Promise.all([counterCodeFor(secret, w), counterCodeFor(secret, w - 1)]);
  return { current, changesAt: new Date((w + 1) * COUNTER_CODE_WINDOW_SECONDS * 1000), accepted: [current, previous] };
}
