import { describe, expect, it } from "vitest";
import {
  BASE_DELAY_MS,
  FREE_ATTEMPTS,
  INITIAL_THROTTLE,
  MAX_DELAY_MS,
  checkThrottle,
  delayAfterFailures,
  mergeThrottleCopies,
  recordPinFailure,
} from "./throttle";

const T0 = Date.UTC(2027, 2, 1, 9, 0, 0);

describe("PIN throttling", () => {
  it("allows a few tries, then waits longer after each wrong PIN", () => {
    let s = INITIAL_THROTTLE;
    for (let i = 0; i < FREE_ATTEMPTS - 1; i++) {
      s = recordPinFailure(s, T0);
      expect(checkThrottle(s, T0).allowed).toBe(true);
    }
    s = recordPinFailure(s, T0);
    expect(checkThrottle(s, T0)).toEqual({ allowed: false, retryAt: T0 + BASE_DELAY_MS });
    expect(checkThrottle(s, T0 + BASE_DELAY_MS - 1).allowed).toBe(false);
    expect(checkThrottle(s, T0 + BASE_DELAY_MS).allowed).toBe(true);
    const t1 = T0 + BASE_DELAY_MS;
    s = recordPinFailure(s, t1);
    expect(checkThrottle(s, t1).retryAt).toBe(t1 + 2 * BASE_DELAY_MS);
  });

  it("grows the delay and caps it at an hour", () => {
    const delays = Array.from({ length: 20 }, (_, f) => delayAfterFailures(f));
    for (let i = 1; i < delays.length; i++) expect(delays[i]!).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(delayAfterFailures(1000)).toBe(MAX_DELAY_MS);
  });

  it("keeps the strictest copy when one copy was cleared or rewound", () => {
    const locked = { failures: 5, lastFailureAt: T0 };
    expect(mergeThrottleCopies([locked, undefined], T0)).toEqual({ state: locked, tampered: true });
    expect(mergeThrottleCopies([INITIAL_THROTTLE, locked], T0)).toEqual({ state: locked, tampered: true });
    expect(mergeThrottleCopies([locked, locked], T0)).toEqual({ state: locked, tampered: false });
  });

  it("locks when every copy is gone or garbage", () => {
    const { state, tampered } = mergeThrottleCopies([undefined, { failures: "0" }], T0 + 5);
    expect(tampered).toBe(true);
    expect(checkThrottle(state, T0 + 5)).toEqual({ allowed: false, retryAt: T0 + 5 + BASE_DELAY_MS });
  });

  it("does not unlock when the clock is moved back", () => {
    const s = { failures: 6, lastFailureAt: T0 };
    expect(checkThrottle(s, T0 - 3_600_000).allowed).toBe(false);
  });
});
