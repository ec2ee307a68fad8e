import { describe, expect, it } from "vitest";
import { MIN_PBKDF2_ITERATIONS, PBKDF2_ITERATIONS, openJson, sealJson } from "./crypto";
import { WeakPinError } from "./errors";
import { VaultHeader, assertPinAcceptable, changeVaultPin, createVault, openVault } from "./vault";

const fast = { iterations: MIN_PBKDF2_ITERATIONS };

describe("vault", () => {
  it("opens with the right PIN and decrypts what was sealed", async () => {
    const { header, dataKey } = await createVault("p1", "482913", fast);
    const sealed = await sealJson(dataKey, { jwt: "abc" }, "p1/credential/c1");
    const reopened = await openVault("p1", header, "482913");
    expect(reopened).toBeDefined();
    expect(await openJson(reopened!.dataKey, sealed, "p1/credential/c1")).toEqual({ jwt: "abc" });
  });

  it("uses 600,000 PBKDF2 iterations by default and keeps no secret in the header", async () => {
    const { header, dataKey } = await createVault("p1", "482913");
    expect(header.kdf.iterations).toBe(PBKDF2_ITERATIONS);
    expect(VaultHeader.parse(header)).toEqual(header);
    expect(JSON.stringify(header)).not.toContain("482913");
    expect(dataKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey("raw", dataKey)).rejects.toThrow();
  });

  it("refuses a wrong PIN and a header moved to another profile", async () => {
    const { header } = await createVault("p1", "482913", fast);
    expect(await openVault("p1", header, "482914")).toBeUndefined();
    expect(await openVault("p2", header, "482913")).toBeUndefined();
  });

  it("refuses a header whose wrapped key was changed", async () => {
    const { header } = await createVault("p1", "482913", fast);
    const ct = header.wrappedKey.ct;
    const flipped = (ct[5] === "A" ? "B" : "A");
    const bad = { ...header, wrappedKey: { ...header.wrappedKey, ct: ct.slice(0, 5) + flipped + ct.slice(6) } };
    expect(await openVault("p1", bad, "482913")).toBeUndefined();
  });

  it("rejects a header that lowers the iteration count below the floor", async () => {
    const { header } = await createVault("p1", "482913", fast);
    const weak = { ...header, kdf: { ...header.kdf, iterations: 1000 } };
    await expect(openVault("p1", weak, "482913")).rejects.toThrow();
  });

  it("changes the PIN by re-wrapping the data key only", async () => {
    const { header, dataKey } = await createVault("p1", "482913", fast);
    const sealed = await sealJson(dataKey, ["kept"], "p1/history/h1");
    expect(await changeVaultPin("p1", header, "000001", "905172", fast)).toBeUndefined();
    const changed = await changeVaultPin("p1", header, "482913", "905172", fast);
    expect(changed).toBeDefined();
    expect(changed!.header.kdf.salt).not.toBe(header.kdf.salt);
    expect(await openVault("p1", changed!.header, "482913")).toBeUndefined();
    const reopened = await openVault("p1", changed!.header, "905172");
    expect(await openJson(reopened!.dataKey, sealed, "p1/history/h1")).toEqual(["kept"]);
  });

  it("refuses easy PINs with a plain reason", () => {
    for (const pin of ["123", "1111", "1234", "98765", "abcd", "123456789"]) {
      expect(() => assertPinAcceptable(pin), pin).toThrow(WeakPinError);
    }
    for (const pin of ["4829", "482913", "1357", "90210"]) expect(() => assertPinAcceptable(pin)).not.toThrow();
  });
});

describe("record sealing", () => {
  it("binds each record to its id (AAD) and uses a fresh IV each time", async () => {
    const { dataKey } = await createVault("p1", "482913", fast);
    const a = await sealJson(dataKey, { n: 1 }, "p1/credential/a");
    const b = await sealJson(dataKey, { n: 1 }, "p1/credential/a");
    expect(a.iv).not.toBe(b.iv);
    expect(a.ct).not.toBe(b.ct);
    await expect(openJson(dataKey, a, "p1/credential/b")).rejects.toThrow();
    await expect(openJson(dataKey, a, "p2/credential/a")).rejects.toThrow();
  });

  it("detects a flipped ciphertext bit", async () => {
    const { dataKey } = await createVault("p1", "482913", fast);
    const a = await sealJson(dataKey, { n: 1 }, "p1/k/a");
    const c = a.ct;
    const bad = { ...a, ct: (c[0] === "A" ? "B" : "A") + c.slice(1) };
    await expect(openJson(dataKey, bad, "p1/k/a")).rejects.toThrow();
  });
});
