/**
 * Issue 12, relay: a photo of a phone's QR code made for counter A is refused at counter B. The
 * wallet's own code makes the QR code (createProof, with the counter code the person typed) and
 * the verifier's own check (@haki/redemption/check) answers, each counter with its device secret.
 */
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import type { HakiKeyPair } from "@haki/credentials/keys";
import { decodeProof, decodeReferences } from "@haki/qr/codec";
import { checkProof, type Decision } from "@haki/redemption/check";
import { COUNTER_CODE_WINDOW_SECONDS, counterCodes, createCounterSecret } from "@haki/redemption/counter-code";
import { createMemoryStore } from "@haki/redemption/stores";
import { defaultSettings, type OperatorSettings } from "@haki/redemption/settings";
import { createTestWorld, type TestWorld, type DeviceState } from "@haki/redemption/testing";
import { MIN_PBKDF2_ITERATIONS } from "@haki/secure-store/crypto";
import { openWalletDb } from "../storage/db";
import { createProfile } from "../storage/profiles";
import { createHolderKey } from "./holder-key";
import { createProof } from "./present";

const NOW = new Date("2027-03-10T09:00:10Z");

async function setUp() {
  const world = await createTestWorld({ now: NOW });
  const state = await world.deviceState();
  const db = await openWalletDb(`counter-code-${Math.random()}`);
  const session = await createProfile(db, { label: "Amina", pin: "482913" }, { iterations: MIN_PBKDF2_ITERATIONS });
  const holder = await createHolderKey(db, session);
  const card = await world.issue({ index: 7, holder: { did: holder.did } as HakiKeyPair });
  return { world, state, db, session, card };
}

/** One counter: its own device secret and store, checking what its camera reads. */
async function counter(world: TestWorld, state: DeviceState) {
  const secret = await createCounterSecret();
  const store = createMemoryStore();
  return {
    codes: (at: Date) => counterCodes(secret, at),
    async check(qr: string, at: Date, settings: Partial<OperatorSettings> = {}): Promise<Decision> {
      const bundle = state.trust.bundle;
      const proof = decodeProof(qr, decodeReferences(bundle.issuers, bundle.programmes));
      return checkProof(proof, {
        now: at,
        ...state,
        servicePointId: world.servicePoint.id,
        settings: { ...defaultSettings(), ...settings },
        seen: store,
        balances: store,
        counterCodes: (await counterCodes(secret, at)).accepted,
      });
    },
  };
}

describe("issue 12, relay: the counter code", () => {
  it("a photo of a QR made for counter A is refused at counter B (ERR_COUNTER_CODE_MISMATCH), and green at A", async () => {
    const { world, state, db, session, card } = await setUp();
    const [a, b] = [await counter(world, state), await counter(world, state)];
    const typed = (await a.codes(NOW)).current;
    expect(typed).toMatch(/^\d{4}$/);
    const { payload } = await createProof(db, session, card, { now: NOW, counterCode: typed });

    // The photo reaches counter B a few seconds later: B's codes are not A's.
    const at = new Date(NOW.getTime() + 5_000);
    if ((await b.codes(at)).accepted.includes(typed)) return; // 2 in 10,000: the two secrets collided
    const atB = await b.check(payload, at);
    expect(atB).toMatchObject({ outcome: "red", code: "ERR_COUNTER_CODE_MISMATCH", reasonKey: "reason.ERR_COUNTER_CODE_MISMATCH" });
    // Even at a counter that does not require the code: a code that is there is always checked.
    expect(await a.check(payload, at)).toMatchObject({ outcome: "green" });
  });

  it("accepts the code of the previous window, not older; no code follows the device setting", async () => {
    const { world, state, db, session, card } = await setUp();
    const a = await counter(world, state);
    const windowMs = COUNTER_CODE_WINDOW_SECONDS * 1000;
    const early = new Date(Math.floor(NOW.getTime() / windowMs) * windowMs + 1_000);
    const typed = (await a.codes(early)).current;
    // Read just before the code changed: still good in the next window.
    const next = new Date(early.getTime() + windowMs);
    const made = await createProof(db, session, card, { now: next, counterCode: typed });
    expect(await a.check(made.payload, new Date(next.getTime() + 1_000))).toMatchObject({ outcome: "green" });
    // A code two windows old is another counter's as far as this one can tell.
    const later = new Date(early.getTime() + 2 * windowMs);
    if (!(await a.codes(later)).accepted.includes(typed)) {
      const old = await createProof(db, session, card, { now: later, counterCode: typed });
      expect(await a.check(old.payload, later)).toMatchObject({ outcome: "red", code: "ERR_COUNTER_CODE_MISMATCH" });
    }
    // Without a code: green by default, refused where the operator requires the counter code.
    const bare = await createProof(db, session, card, { now: NOW });
    const b = await counter(world, state);
    expect(await b.check(bare.payload, NOW, { requireCounterCode: true })).toMatchObject({ outcome: "red", code: "ERR_COUNTER_CODE_REQUIRED" });
    expect(defaultSettings().requireCounterCode).toBe(false);
    expect(await b.check(bare.payload, NOW)).toMatchObject({ outcome: "green" });
    // The wallet refuses to sign anything but 4 digits as a counter code.
    await expect(createProof(db, session, card, { counterCode: "12a4" })).rejects.toThrow(RangeError);
  });
});
