/**
 * A fixed-window rate limit for the issuer's anonymous endpoints, per client address. Kept in the
 * process: a single issuer instance is the common case; behind several instances each one counts
 * its own share (the database-side caps still bound what is stored).
 */
import { ApiError } from "./errors";

export interface RateLimit {
  /** Requests allowed per window and key. */
  limit: number;
  windowMs: number;
}

type Window = { start: number; count: number };
const holder = globalThis as unknown as { __hakiRateLimits?: Map<string, Window> };
/** Past this many keys, ended windows are dropped (a flood of addresses cannot grow memory without end). */
const MAX_KEYS = 50_000;

/**
 * The caller's address as the reverse proxy reports it (first `x-forwarded-for` hop), else "direct".
 *
 * @example
 * clientAddress(request); // "203.0.113.7"
 */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return (forwarded || request.headers.get("x-real-ip") || "direct").slice(0, 64);
}

/**
 * Counts one call for `key` in `bucket`; throws `ERR_TOO_MANY_ATTEMPTS` (429) past the limit.
 *
 * @example
 * enforceRateLimit("relay-answer", clientAddress(request), { limit: 30, windowMs: 60_000 }, Date.now());
 */
export function enforceRateLimit(bucket: string, key: string, rule: RateLimit, nowMs: number): void {
  const windows = (holder.__hakiRateLimits ??= new Map());
  const id = `${bucket}\u0000${key}`;
  let w = windows.get(id);
  if (!w || nowMs - w.start >= rule.windowMs) {
    if (windows.size >= MAX_KEYS) {
      for (const [k, v] of windows) if (nowMs - v.start >= rule.windowMs) windows.delete(k);
      if (windows.size >= MAX_KEYS) windows.clear();
    }
    w = { start: nowMs, count: 0 };
    windows.set(id, w);
  }
  w.count++;
  if (w.count > rule.limit) throw new ApiError("ERR_TOO_MANY_ATTEMPTS", "Too many requests from this address; wait a minute and try again.");
}

/** Forgets every window (tests). */
export function resetRateLimits(): void {
  holder.__hakiRateLimits?.clear();
}
