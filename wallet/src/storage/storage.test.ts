import { codeOf } from "@haki/testing/code-of";
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MIN_PBKDF2_ITERATIONS } from "@haki/secure-store/crypto";
import { BASE_DELAY_MS } from "@haki/secure-store/throttle";
import { openWalletDb } from "./db";
import { STORE } from "./keys";
import { createProfile, getPinThrottle, listProfiles, unlockProfile, changeProfilePin, deleteProfile } from "./profiles";
import { getRecord, listRecords, putRecord } from "./records";

const fast = { iterations: MIN_PBKDF2_ITERATIONS };
let n = 0;
const freshDb = () => openWalletDb(`wallet-test-${++n}-${Math.random()}`);

const Note = z.object({ text: z.string() });

describe("encrypted storage", () => {
  it("keeps records encrypted at rest and reads them back after unlocking", async () => {
    const db = await freshDb();
    const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    await putRecord(db, s, "credential", "c1", { text: "FOOD-RATION-SECRET" });
    const raw = JSON.stringify(await db.getAll(STORE.records)) + JSON.stringify(await db.getAll(STORE.profiles));
    expect(raw).not.toContain("FOOD-RATION-SECRET");
    expect(raw).not.toContain("482913");
    db.close();

    const db2 = await openWalletDb(db.name);
    const [p] = await listProfiles(db2);
    expect(p?.label).toBe("Amina");
    const again = await unlockProfile(db2, p!.id, "482913");
    expect(await getRecord(db2, again, "credential", "c1", Note)).toEqual({ text: "FOOD-RATION-SECRET" });
  });

  it("keeps profiles apart: one profile's key cannot read another's records", async () => {
    const db = await freshDb();
    const a = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    const b = await createProfile(db, { label: "Baraka", pin: "905172" }, fast);
    await putRecord(db, a, "credential", "c1", { text: "a" });
    // Copy A's row under B's id: AAD (profile/kind/id) and key both differ.
    const row = await db.get(STORE.records, [a.profile.id, "credential", "c1"]);
    await db.put(STORE.records, { ...row!, profileId: b.profile.id });
    await expect(getRecord(db, b, "credential", "c1", Note)).rejects.toMatchObject({ code: "ERR_RECORD_TAMPERED" });
    expect((await listRecords(db, b, "credential", Note)).damaged).toEqual(["c1"]);
  });

  it("reports a record moved to another id as tampered", async () => {
    const db = await freshDb();
    const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    await putRecord(db, s, "credential", "c1", { text: "a" });
    const row = await db.get(STORE.records, [s.profile.id, "credential", "c1"]);
    await db.put(STORE.records, { ...row!, id: "c2" });
    expect(await codeOf(getRecord(db, s, "credential", "c2", Note))).toBe("ERR_RECORD_TAMPERED");
  });

  it("changes the PIN without re-encrypting records", async () => {
    const db = await freshDb();
    const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    await putRecord(db, s, "history", "h1", { text: "kept" });
    await changeProfilePin(db, s.profile.id, "482913", "905172", fast);
    expect(await codeOf(unlockProfile(db, s.profile.id, "482913"))).toBe("ERR_WRONG_PIN");
    const again = await unlockProfile(db, s.profile.id, "905172");
    expect(await getRecord(db, again, "history", "h1", Note)).toEqual({ text: "kept" });
  });

  it("deletes a profile with all its records", async () => {
    const db = await freshDb();
    const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    await putRecord(db, s, "credential", "c1", { text: "a" });
    await deleteProfile(db, s.profile.id);
    expect(await listProfiles(db)).toEqual([]);
    expect(await db.count(STORE.records)).toBe(0);
  });
});

describe("PIN throttling in storage", () => {
  it("counts wrong PINs across reopening the database and locks after three", async () => {
    const db = await freshDb();
    const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    let t = Date.UTC(2027, 2, 1, 9);
    const now = () => t;
    expect(await codeOf(unlockProfile(db, s.profile.id, "111222", { now }))).toBe("ERR_WRONG_PIN");
    expect(await codeOf(unlockProfile(db, s.profile.id, "111222", { now }))).toBe("ERR_WRONG_PIN");
    db.close();
    const db2 = await openWalletDb(db.name);
    await expect(unlockProfile(db2, s.profile.id, "111222", { now })).rejects.toMatchObject({ code: "ERR_WRONG_PIN", failures: 3, retryAt: t + BASE_DELAY_MS });
    // Even the right PIN waits now.
    await expect(unlockProfile(db2, s.profile.id, "482913", { now })).rejects.toMatchObject({ code: "ERR_PIN_LOCKED", retryAt: t + BASE_DELAY_MS });
    expect(await getPinThrottle(db2, s.profile.id, t)).toMatchObject({ allowed: false, failures: 3 });
    t += BASE_DELAY_MS;
    await expect(unlockProfile(db2, s.profile.id, "111222", { now })).rejects.toMatchObject({ failures: 4, retryAt: t + 2 * BASE_DELAY_MS });
    t += 2 * BASE_DELAY_MS;
    await unlockProfile(db2, s.profile.id, "482913", { now });
    expect(await getPinThrottle(db2, s.profile.id, t)).toMatchObject({ allowed: true, failures: 0 });
  });

  it("is not reset by clearing one copy of the counter", async () => {
    const db = await freshDb();
    const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    const t = Date.UTC(2027, 2, 1, 9);
    for (let i = 0; i < 3; i++) await unlockProfile(db, s.profile.id, "111222", { now: () => t }).catch(() => undefined);
    await db.delete(STORE.throttle, s.profile.id);
    expect(await codeOf(unlockProfile(db, s.profile.id, "482913", { now: () => t }))).toBe("ERR_PIN_LOCKED");
    const row = (await db.get(STORE.profiles, s.profile.id)) as Record<string, unknown>;
    await db.put(STORE.profiles, { ...row, throttle: { failures: 0, lastFailureAt: 0 } }, s.profile.id);
    expect(await codeOf(unlockProfile(db, s.profile.id, "482913", { now: () => t }))).toBe("ERR_PIN_LOCKED");
  });

  it("locks when both copies are deleted", async () => {
    const db = await freshDb();
    const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    const t = Date.UTC(2027, 2, 1, 9);
    await db.delete(STORE.throttle, s.profile.id);
    const row = (await db.get(STORE.profiles, s.profile.id)) as Record<string, unknown>;
    delete row.throttle;
    await db.put(STORE.profiles, row, s.profile.id);
    expect(await codeOf(unlockProfile(db, s.profile.id, "482913", { now: () => t }))).toBe("ERR_PIN_LOCKED");
    // The lock was written back: it does not move forward on every read.
    expect(await getPinThrottle(db, s.profile.id, t + BASE_DELAY_MS)).toMatchObject({ allowed: true });
  });

  it("says a damaged profile row is damaged, and never writes into it", async () => {
    const db = await freshDb();
    const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    await db.put(STORE.profiles, { junk: true }, s.profile.id);
    expect(await codeOf(unlockProfile(db, s.profile.id, "482913"))).toBe("ERR_STORAGE_DAMAGED");
    expect(await db.get(STORE.profiles, s.profile.id)).toEqual({ junk: true });
  });
});
