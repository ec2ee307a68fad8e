import { generateKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { describe, expect, it } from "vitest";
import { checkProof } from "./check";
import { COUNTER_CODE_WINDOW_SECONDS, counterCodeFor, counterCodes, counterWindow, createCounterSecret, isCounterCode } from "./counter-code";
import { checkContextFor, createTestWorld } from "./testing";

const NOW = new Date("2027-03-10T09:00:00Z");

describe("counter code", () => {
  it("is 4 digits per device secret and window, the same for the same window, and accepts the previous window's", async () => {
    const secret = await createCounterSecret();
    expect(secret.extractable).toBe(false);
    const w = counterWindow(NOW);
    const code = await counterCodeFor(secret, w);
    expect(isCounterCode(code)).toBe(true);
    expect(await counterCodeFor(secret, w)).toBe(code);
    const now = await counterCodes(secret, NOW);
    expect(now.current).toBe(code);
    expect(now.accepted).toEqual([code, await counterCodeFor(secret, w - 1)]);
    expect(now.changesAt.getTime()).toBe((w + 1) * COUNTER_CODE_WINDOW_SECONDS * 1000);
    // Another device's secret gives other codes (over 50 windows, nearly all differ).
    const other = await createCounterSecret();
    let same = 0;
    for (let i = 0; i < 50; i++) if ((await counterCodeFor(secret, w + i)) === (await counterCodeFor(other, w + i))) same++;
    expect(same).toBeLessThan(3);
    expect(isCounterCode("12345")).toBe(false);
    expect(isCounterCode(undefined)).toBe(false);
  });

  it("checkProof: ERR_COUNTER_CODE_MISMATCH for another counter's code, ERR_COUNTER_CODE_REQUIRED for none where required", async () => {
    const world = await createTestWorld({ now: NOW });
    const state = await world.deviceState();
    const holder = await generateKeyPair();
    const card = await world.issue({ index: 7, holder });
    const present = async (nonce?: string) => ({
      kind: "presentation" as const,
      jwt: await signPresentation(card, holder, { now: NOW, ...(nonce ? { nonce } : {}) }),
    });
    const ctx = (over: Parameters<typeof checkContextFor>[2] = {}) => checkContextFor(world, state, { now: NOW, counterCodes: ["0427", "9051"], ...over });
    expect(await checkProof(await present("0427"), ctx())).toMatchObject({ outcome: "green" });
    expect(await checkProof(await present("9051"), ctx())).toMatchObject({ outcome: "green" });
    expect(await checkProof(await present("1234"), ctx())).toMatchObject({ outcome: "red", code: "ERR_COUNTER_CODE_MISMATCH", reasonKey: "reason.ERR_COUNTER_CODE_MISMATCH" });
    // A device that shows no code cannot have made one.
    expect(await checkProof(await present("0427"), ctx({ counterCodes: undefined }))).toMatchObject({ outcome: "red", code: "ERR_COUNTER_CODE_MISMATCH" });
    expect(await checkProof(await present(), ctx())).toMatchObject({ outcome: "green" });
    const required = { ...state, settings: { ...ctx().settings, requireCounterCode: true } };
    expect(await checkProof(await present(), ctx({ settings: required.settings }))).toMatchObject({ outcome: "red", code: "ERR_COUNTER_CODE_REQUIRED", reasonKey: "reason.ERR_COUNTER_CODE_REQUIRED" });
    // A paper card has no phone to type a code into: the setting is about phone codes.
    const paper = await world.issue({ index: 8 });
    expect(await checkProof({ kind: "credential", jwt: paper }, ctx({ settings: required.settings }))).toMatchObject({ outcome: "green" });
  });
});
