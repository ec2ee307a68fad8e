/**
 * How long a published status list stays valid, and when it is signed again.
 *
 * A service point may be offline for days; it checks cards against the copy it fetched last. The
 * programme's offline tolerance (HAKI_OFFLINE_TOLERANCE_DAYS, 7 by default) is the promise: every
 * list served is valid at least that long from the moment it is served. So a list is signed valid
 * for the tolerance plus RESIGN_EVERY_MS, and signed again (even when no bit changed) once less than
 * the tolerance is left, i.e. at most once per RESIGN_EVERY_MS per list. Devices refresh when the
 * `ttl` hint passes and they are online; past `validUntil` they stop using a list.
 *
 * Each signature's `iat` is later than the previous one's for the same list (never equal, even
 * within one second or with a clock stepping back), so a device can keep the newest copy it has
 * seen and refuse an older one replayed to it.
 */
import { decodeJwt } from "jose";
import type { Env } from "@/env";

/** The refresh hint (`ttl`) written into each list: online devices fetch again after this long. */
export const STATUS_LIST_TTL_MS = 5 * 60_000;
/** The margin on top of the tolerance: an unchanged list is signed again about this often. */
export const RESIGN_EVERY_MS = 60 * 60_000;

const DAY_MS = 24 * 3_600_000;

/**
 * The validity window of lists signed now.
 *
 * @example
 * const { validForMs, resignBelowMs } = statusListValidity(ctx.env); // 7 d + 1 h, 7 d
 */
export function statusListValidity(env: Pick<Env, "HAKI_OFFLINE_TOLERANCE_DAYS">): {
  validForMs: number;
  resignBelowMs: number;
} {
  const tolerance = env.HAKI_OFFLINE_TOLERANCE_DAYS * DAY_MS;
  return { validForMs: tolerance + RESIGN_EVERY_MS, resignBelowMs: tolerance };
}

/**
 * True while a signed list (its `exp`, in ms) still covers the offline tolerance from `nowMs`.
 *
 * @example
 * if (!coversTolerance(expMs, ctx.now().getTime(), ctx.env)) await signAgain();
 */
export function coversTolerance(
  expMs: number,
  nowMs: number,
  env: Pick<Env, "HAKI_OFFLINE_TOLERANCE_DAYS">,
): boolean {
  return expMs - nowMs >= statusListValidity(env).resignBelowMs;
}

/**
 * The issue time of the next signature of a list: now, or one second after the previous
 * signature's `iat` when that is not earlier (iat has whole seconds).
 *
 * @example
 * const issuedAt = nextIssuedAt(row.credential, ctx.now());
 */
export function nextIssuedAt(previousJwt: string | null, now: Date): Date {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const previous = previousJwt ? decodeJwt(previousJwt).iat : undefined;
  const seconds = previous !== undefined && previous >= nowSeconds ? previous + 1 : nowSeconds;
  return new Date(seconds * 1000);
}
