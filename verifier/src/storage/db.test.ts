import "fake-indexeddb/auto";
import { describeLocalStore } from "@haki/redemption/conformance";
import { generateKeyPair } from "@haki/credentials/keys";
import { defaultSettings } from "@haki/redemption/settings";
import { describe, expect, it } from "vitest";
import { openVerifierDb } from "./db";

let n = 0;
describeLocalStore("IndexedDB", () => openVerifierDb(`test-${n++}`));

describe("verifier database", () => {
  it("keeps the device key as a CryptoKey and validates it on read", async () => {
    const db = await openVerifierDb(`test-${n++}`);
    const k = await generateKeyPair({ extractable: false });
    await db.putDevice({ publicJwk: k.publicJwk, privateKey: k.privateKey, createdAt: 1 });
    const back = await db.getDevice();
    expect(back?.publicJwk).toEqual(k.publicJwk);
    expect(back?.privateKey.type).toBe("private");
  });

  it("makes the counter code secret once: non-extractable, the same for every screen and after reopening", async () => {
    const name = `test-${n++}`;
    const db = await openVerifierDb(name);
    const [a, b] = await Promise.all([db.getCounterSecret(), db.getCounterSecret()]);
    expect(a.extractable).toBe(false);
    const { counterCodes } = await import("@haki/redemption/counter-code");
    const at = new Date("2027-03-10T09:00:00Z");
    expect((await counterCodes(b, at)).current).toBe((await counterCodes(a, at)).current);
    db.close();
    const again = await openVerifierDb(name);
    expect((await counterCodes(await again.getCounterSecret(), at)).current).toBe((await counterCodes(a, at)).current);
  });

  it("returns default settings, stores changes, and refuses invalid ones", async () => {
    const db = await openVerifierDb(`test-${n++}`);
    expect(await db.getSettings()).toEqual(defaultSettings());
    await db.putSettings({ ...defaultSettings(), presentationWindowSeconds: 60 });
    expect((await db.getSettings()).presentationWindowSeconds).toBe(60);
    await expect(
      db.putSettings({ ...defaultSettings(), presentationWindowSeconds: 1 }),
    ).rejects.toThrow();
  });

  it("reports a damaged record with ERR_STORAGE_DAMAGED", async () => {
    const name = `test-${n++}`;
    const db = await openVerifierDb(name);
    db.close();
    const raw = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open(name);
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise<void>((resolve) => {
      const tx = raw.transaction("meta", "readwrite");
      tx.objectStore("meta").put({ jws: 5 }, "trust");
      tx.oncomplete = () => resolve();
    });
    raw.close();
    const again = await openVerifierDb(name);
    await expect(again.getTrust()).rejects.toMatchObject({ code: "ERR_STORAGE_DAMAGED" });
  });
});

describe("verifier database migrations", () => {
  it("brings a version-1 device forward: its receipts stay, notes can be kept and found by the code's id", async () => {
    const name = `test-${n++}`;
    // A device as the first release left it: version 1, one queued receipt.
    await new Promise<void>((resolve, reject) => {
      const r = indexedDB.open(name, 1);
      r.onupgradeneeded = () => {
        const db = r.result;
        db.createObjectStore("meta");
        db.createObjectStore("seen", { keyPath: "id" }).createIndex("expiresAt", "expiresAt");
        db.createObjectStore("balances", { keyPath: "entitlement" });
        db.createObjectStore("outbox", { keyPath: "id" }).createIndex("createdAt", "createdAt");
        db.createObjectStore("statusLists", { keyPath: "url" });
      };
      r.onsuccess = () => {
        const tx = r.result.transaction("outbox", "readwrite");
        tx.objectStore("outbox").put({ id: "r1", jws: "a.b.c", entitlement: "e", createdAt: 1, attempts: 0, nextAttemptAt: 1, state: "pending" });
        tx.oncomplete = () => (r.result.close(), resolve());
      };
      r.onerror = () => reject(r.error);
    });
    const db = await openVerifierDb(name);
    expect((await db.listOutbox()).map((i) => i.id)).toEqual(["r1"]);
    await db.putNote({ receipt: "r1", displayName: "Amina", presentation: "urn:uuid:p1" });
    expect(await db.noteForPresentation("urn:uuid:p1")).toEqual({ receipt: "r1", displayName: "Amina", presentation: "urn:uuid:p1" });
    expect(await db.noteForPresentation("urn:uuid:p2")).toBeUndefined();
    expect(await db.listNotes()).toHaveLength(1);
  });
});
