import { codeOf } from "@haki/testing/code-of";
import { describe, expect, it } from "vitest";
import { BackupFile, createBackup, readBackup } from "./backup";
import { MIN_PBKDF2_ITERATIONS } from "./crypto";

const app = "haki-wallet";
const opts = { app, iterations: MIN_PBKDF2_ITERATIONS };
const payload = { profile: { label: "Amina" }, records: [{ kind: "credential", id: "c1", data: { jwt: "eyJ..." } }] };

describe("backup files", () => {
  it("round-trips a payload", async () => {
    const text = await createBackup(payload, "long enough pass", opts);
    expect(text).not.toContain("Amina");
    expect(BackupFile.parse(JSON.parse(text)).kdf.iterations).toBe(MIN_PBKDF2_ITERATIONS);
    expect(await readBackup(text, "long enough pass", { app })).toEqual(payload);
  });

  it("says 'wrong password' for a wrong password", async () => {
    const text = await createBackup(payload, "long enough pass", opts);
    expect(await codeOf(readBackup(text, "long enough pasS", { app }))).toBe("ERR_BACKUP_PASSWORD");
  });

  it("says 'damaged' for a changed payload, a cut file, garbage, or another app's file", async () => {
    const text = await createBackup(payload, "long enough pass", opts);
    const file = JSON.parse(text) as BackupFile;
    const ct = file.payload.ct;
    const mid = Math.floor(ct.length / 2);
    const tampered = JSON.stringify({ ...file, payload: { ...file.payload, ct: ct.slice(0, mid) + (ct[mid] === "A" ? "B" : "A") + ct.slice(mid + 1) } });
    expect(await codeOf(readBackup(tampered, "long enough pass", { app }))).toBe("ERR_BACKUP_CORRUPT");
    expect(await codeOf(readBackup(text.slice(0, text.length / 2), "long enough pass", { app }))).toBe("ERR_BACKUP_CORRUPT");
    expect(await codeOf(readBackup("hello", "long enough pass", { app }))).toBe("ERR_BACKUP_CORRUPT");
    expect(await codeOf(readBackup(text, "long enough pass", { app: "haki-verifier" }))).toBe("ERR_BACKUP_CORRUPT");
    const weakened = JSON.stringify({ ...file, kdf: { ...file.kdf, iterations: 10 } });
    expect(await codeOf(readBackup(weakened, "long enough pass", { app }))).toBe("ERR_BACKUP_CORRUPT");
  });

  it("refuses a short password", async () => {
    expect(await codeOf(createBackup(payload, "short", opts))).toBe("ERR_WEAK_PASSWORD");
  });
});
