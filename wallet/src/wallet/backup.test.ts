import { codeOf } from "@haki/testing/code-of";
import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { MIN_PBKDF2_ITERATIONS } from "@haki/secure-store/crypto";
import { openWalletDb } from "../storage/db";
import { createProfile, listProfiles } from "../storage/profiles";
import { listRecords, putRecord } from "../storage/records";
import { exportProfileBackup, restoreProfileBackup } from "./backup";
import { createHolderKey, loadHolderKey } from "./holder-key";
import { StoredCredential } from "./schemas";

const fast = { iterations: MIN_PBKDF2_ITERATIONS };
const JWT = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJkaWQ6a2V5OnoifQ.c2ln";

async function phoneWithOneCard() {
  const db = await openWalletDb(`backup-${Math.random()}`);
  const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
  const key = await createHolderKey(db, s);
  await putRecord(db, s, "credential", "c1", { jwt: JWT, receivedAt: new Date().toISOString() } satisfies StoredCredential);
  return { db, s, key };
}

describe("backup and restore", () => {
  it("restores cards and the same holder key on a new phone", async () => {
    const old = await phoneWithOneCard();
    const file = await exportProfileBackup(old.db, old.s, "river-stone-42", fast);
    expect(file).not.toContain(JWT);

    const db = await openWalletDb(`new-phone-${Math.random()}`);
    const s = await restoreProfileBackup(db, file, "river-stone-42", { pin: "905172" }, fast);
    expect(s.profile.label).toBe("Amina");
    const { items } = await listRecords(db, s, "credential", StoredCredential);
    expect(items.map((i) => i.value.jwt)).toEqual([JWT]);
    const key = await loadHolderKey(db, s);
    expect(key.did).toBe(old.key.did);
    expect(key.privateKey.extractable).toBe(false);
    // The restored key signs, and the old public key verifies it.
    const data = new Uint8Array([1, 2, 3]);
    const sig = await crypto.subtle.sign("Ed25519", key.privateKey, data);
    const pub = await crypto.subtle.importKey("jwk", old.key.publicJwk, "Ed25519", true, ["verify"]);
    expect(await crypto.subtle.verify("Ed25519", pub, sig, data)).toBe(true);
  });

  it("says 'wrong password' and writes nothing", async () => {
    const old = await phoneWithOneCard();
    const file = await exportProfileBackup(old.db, old.s, "river-stone-42", fast);
    const db = await openWalletDb(`new-phone-${Math.random()}`);
    const existing = await createProfile(db, { label: "Baraka", pin: "135790" }, fast);
    expect(await codeOf(restoreProfileBackup(db, file, "river-stone-43", { pin: "905172" }, fast))).toBe("ERR_BACKUP_PASSWORD");
    expect((await listProfiles(db)).map((p) => p.id)).toEqual([existing.profile.id]);
  });

  it("says 'damaged file' for a corrupted file and writes nothing", async () => {
    const old = await phoneWithOneCard();
    const file = await exportProfileBackup(old.db, old.s, "river-stone-42", fast);
    const parsed = JSON.parse(file) as { payload: { ct: string } };
    const ct = parsed.payload.ct;
    const mid = Math.floor(ct.length / 2);
    parsed.payload.ct = ct.slice(0, mid) + (ct[mid] === "A" ? "B" : "A") + ct.slice(mid + 1);
    const db = await openWalletDb(`new-phone-${Math.random()}`);
    expect(await codeOf(restoreProfileBackup(db, JSON.stringify(parsed), "river-stone-42", { pin: "905172" }, fast))).toBe("ERR_BACKUP_CORRUPT");
    expect(await codeOf(restoreProfileBackup(db, file.slice(0, 200), "river-stone-42", { pin: "905172" }, fast))).toBe("ERR_BACKUP_CORRUPT");
    expect(await listProfiles(db)).toEqual([]);
    // The original phone still has everything.
    expect((await listRecords(old.db, old.s, "credential", StoredCredential)).items).toHaveLength(1);
  });
});
