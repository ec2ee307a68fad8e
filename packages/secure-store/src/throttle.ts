/**
 * Wrong-PIN throttling: a few free tries, then a delay that doubles with every wrong PIN, up to an
 * hour. Never a wipe: on a shared household phone, wiping would let anyone destroy someone else's
 * benefits by typing wrong PINs.
 *
 * The state is pure data; apps store it in two places (with the vault header and in a separate
 * store) and read it back with `mergeThrottleCopies`, which takes the worst of the copies and treats
 * a state that is missing everywhere as a lock, so clearing one field does not reset the counter.
 */
import * as z from "zod";

export const ThrottleState = z.object({
  failures: z.number().int().min(0).max(1_000_000),
  /** When the last wrong PIN was typed (ms since epoch). */
  lastFailureAt: z.number().int().min(0),
});
export type ThrottleState = z.infer<typeof ThrottleState>;

/** Wrong PINs allowed without waiting. */
export const FREE_ATTEMPTS = 3;
/** Wait after the first throttled failure; doubles after each further one. */
export const BASE_DELAY_MS = 30_000;
export const MAX_DELAY_MS = 60 * 60_000;

export const INITIAL_THROTTLE: ThrottleState = { failures: 0, lastFailureAt: 0 };

/**
 * How long to wait after `failures` wrong PINs in a row.
 *
 * @example
 * delayAfterFailures(3) // 30_000
 * delayAfterFailures(5) // 120_000
 */
export function delayAfterFailures(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(failures - FREE_ATTEMPTS, 20));
}

/**
 * Whether a PIN may be tried at `now`, and from when it may be if not.
 *
 * @example
 * const { allowed, retryAt } = checkThrottle(state, Date.now());
 */
export function checkThrottle(state: ThrottleState, now: number): { allowed: boolean; retryAt: number } {
  const retryAt = state.failures < FREE_ATTEMPTS ? 0 : state.lastFailureAt + delayAfterFailures(state.failures);
  return { allowed: now >= retryAt, retryAt: Math.max(retryAt, now) };
}

/**
 * The state after one more wrong PIN at `now`.
 *
 * @example
 * state = recordPinFailure(state, Date.now());
 */
export function recordPinFailure(state: ThrottleState, now: number): ThrottleState {
  return { failures: state.failures + 1, lastFailureAt: Math.max(now, state.lastFailureAt) };
}

/**
 * Reads the stored copies of one throttle state (any of them may be missing or mangled) and keeps
 * the strictest. When no copy is readable, returns a lock as if `FREE_ATTEMPTS` wrong PINs had just
 * been typed at `now`: deleting the state must not hand out fresh tries.
 *
 * @example
 * const state = mergeThrottleCopies([profile.throttle, await db.get("throttle", id)], Date.now());
 */
export function mergeThrottleCopies(copies: readonly unknown[], now: number): { state: ThrottleState; tampered: boolean } {
  const valid = copies.map((c) => ThrottleState.safeParse(c)).flatMap((r) => (r.success ? [r.data] : []));
  if (valid.length === 0) return { state: { failures: FREE_ATTEMPTS, lastFailureAt: now }, tampered: true };
  const state = valid.reduce((a, b) => ({
    failures: Math.max(a.failures, b.failures),
    lastFailureAt: Math.max(a.lastFailureAt, b.lastFailureAt),
  }));
  const tampered = valid.length < copies.length || valid.some((v) => v.failures !== state.failures);
  return { state, tampered };
}
