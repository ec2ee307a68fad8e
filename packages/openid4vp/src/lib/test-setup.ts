// Test support: the same parties and a frozen clock (inside the demo entitlement's validity) per test file.
import { afterAll, beforeAll, vi } from "vitest";
import { makeTestParties, type TestParties } from "../testing";

export const TEST_NOW = new Date("2027-03-15T09:00:00Z");

/** Registers the hooks; call the returned function inside tests. */
export function useTestParties(): () => TestParties {
  let parties: TestParties | undefined;
  beforeAll(async () => {
    vi.useFakeTimers({ now: TEST_NOW, toFake: ["Date"] });
    parties = await makeTestParties();
  });
  afterAll(() => vi.useRealTimers());
  return () => parties!;
}
