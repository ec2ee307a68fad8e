import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { MIN_PBKDF2_ITERATIONS } from "@haki/secure-store/crypto";
import { openWalletDb } from "../storage/db";
import { createProfile } from "../storage/profiles";
import { createHolderKey, exportHolderKeyForBackup, loadHolderKey } from "./holder-key";

const fast = { iterations: MIN_PBKDF2_ITERATIONS };

describe("holder key", () => {
  it("signs with the stored key, and says ERR_HOLDER_KEY_MISSING for a profile without one", async () => {
    const db = await openWalletDb(`holder-key-${Math.random()}`);
    const s = await createProfile(db, { label: "Amina", pin: "482913" }, fast);
    await expect(loadHolderKey(db, s)).rejects.toMatchObject({ code: "ERR_HOLDER_KEY_MISSING" });
    await expect(exportHolderKeyForBackup(db, s)).rejects.toMatchObject({ code: "ERR_HOLDER_KEY_MISSING" });
    const stored = await createHolderKey(db, s);
    const key = await loadHolderKey(db, s);
    expect(key.did).toBe(stored.did);
    expect(key.privateKey.extractable).toBe(false);
  });
});
