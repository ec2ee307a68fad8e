import "fake-indexeddb/auto";
import { MIN_PBKDF2_ITERATIONS } from "@haki/secure-store/crypto";
import { BASE_DELAY_MS } from "@haki/secure-store/throttle";
import { describe, expect, it } from "vitest";
import { openVerifierDb } from "../storage/db";
import { checkSupervisorPin, hasSupervisorPin, setSupervisorPin } from "./supervisor";

const fast = { iterations: MIN_PBKDF2_ITERATIONS };
const code = (p: Promise<unknown>) => p.then(() => "ok", (e: { code?: string }) => e.code);

describe("supervisor PIN", () => {
  it("is chosen once, never stored readable, and asked with throttled wrong tries", async () => {
    const db = await openVerifierDb(`sup-${Math.random()}`);
    expect(await hasSupervisorPin(db)).toBe(false);
    expect(await code(setSupervisorPin(db, "1234", fast))).toBe("ERR_WEAK_PIN");
    await setSupervisorPin(db, "482913", fast);
    expect(JSON.stringify(await db.getSupervisor())).not.toContain("482913");
    const t0 = 1_800_000_000_000;
    expect(await code(checkSupervisorPin(db, "482913", t0))).toBe("ok");
    for (let i = 0; i < 2; i++) expect(await code(checkSupervisorPin(db, "111222", t0))).toBe("ERR_WRONG_PIN");
    await expect(checkSupervisorPin(db, "111222", t0)).rejects.toMatchObject({ code: "ERR_WRONG_PIN", failures: 3, retryAt: t0 + BASE_DELAY_MS });
    expect(await code(checkSupervisorPin(db, "482913", t0 + 1000))).toBe("ERR_PIN_LOCKED");
    expect(await code(checkSupervisorPin(db, "482913", t0 + BASE_DELAY_MS))).toBe("ok");
    // Changing it needs the current one.
    expect(await code(setSupervisorPin(db, "905172", { ...fast, current: "000111", now: t0 + BASE_DELAY_MS }))).toBe("ERR_WRONG_PIN");
    await setSupervisorPin(db, "905172", { ...fast, current: "482913", now: t0 + BASE_DELAY_MS });
    expect(await code(checkSupervisorPin(db, "905172", t0 + BASE_DELAY_MS))).toBe("ok");
  });
});
