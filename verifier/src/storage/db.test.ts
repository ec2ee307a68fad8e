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
