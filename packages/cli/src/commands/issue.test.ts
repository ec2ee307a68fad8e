import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile, writeFile } from "node:fs/promises";
import { decodeJwt } from "jose";
import { parseTrustList } from "@haki/credentials/trust";
import { verifyCredential } from "@haki/credentials/verify";
import { verifyPresentation } from "@haki/credentials/presentation";
import { decodeProof } from "@haki/qr/codec";
import { NOW, entitlement, issue, makeWorld, run, type World } from "../../test/harness";

let w: World;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(() => w.tmp.remove());

const trust = async () => parseTrustList(JSON.parse(await readFile(w.trust, "utf8")));

describe("haki issue", () => {
  it("prints a VC-JWT that @haki/credentials verifies, with the key's DID as issuer", async () => {
    const { text } = await issue(w, "card.jwt", { holder: w.holderDid });
    const result = await verifyCredential(text, await trust(), { now: NOW });
    expect(result.valid).toBe(true);
    expect(decodeJwt(text)).toMatchObject({ iss: "did:web:issuer.example", sub: w.holderDid });
  });

  it("prints the Haki QR payload with --qr", async () => {
    const { text } = await issue(w, "card.qr", {}, true);
    expect(text.startsWith("HK2:")).toBe(true);
    const proof = decodeProof(text);
    expect(proof.kind).toBe("credential");
    expect((await verifyCredential(proof.jwt, await trust(), { now: NOW })).valid).toBe(true);
  });

  it("reads the entitlement from standard input with --input -", async () => {
    const r = await run(["issue", "--key", w.issuerKey, "--input", "-"], { stdin: JSON.stringify(entitlement()) });
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split(".")).toHaveLength(3);
  });

  it.each([
    ["a missing subject", { subject: undefined }, "subject"],
    ["an amount of zero", { subject: { ...(entitlement().subject as object), benefit: { type: "Cash", amount: 0, currency: "KES" } } }, "amount"],
    ["dates in the wrong order", { validUntil: "2027-02-01T00:00:00Z" }, "validUntil"],
    ["a negative status index", { status: { revocationList: "https://x.example/r", suspensionList: "https://x.example/s", index: -1 } }, "index"],
    ["another issuer than the key", { issuer: "did:web:other.example" }, "belongs to did:web:issuer.example"],
  ])("exits 1 for an invalid entitlement: %s", async (_name, overrides, message) => {
    const input = await w.tmp.write("bad-input.json", JSON.stringify({ ...entitlement(), ...overrides }));
    const r = await run(["issue", "--key", w.issuerKey, "--input", input]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(message);
  });

  it("exits 1 for an input file that is not JSON, or not an object", async () => {
    for (const text of ["{ not json", "[1, 2]", ""]) {
      const input = await w.tmp.write("broken.json", text);
      const r = await run(["issue", "--key", w.issuerKey, "--input", input]);
      expect(r.code, text).toBe(1);
    }
  });

  it("exits 2 for bad usage: missing options, missing files, malformed or inconsistent key files", async () => {
    const input = await w.tmp.write("ok.json", JSON.stringify(entitlement()));
    expect((await run(["issue", "--input", input])).code).toBe(2);
    expect((await run(["issue", "--key", w.issuerKey])).code).toBe(2);
    expect((await run(["issue", "--key", w.tmp.path("nope.json"), "--input", input])).stderr).toContain("does not exist");
    expect((await run(["issue", "--key", w.issuerKey, "--input", w.tmp.path("nope.json")])).code).toBe(2);
    expect((await run(["issue", "--key", w.issuerKey, "--input", input, "extra"])).code).toBe(2);

    const notJson = await w.tmp.write("key-broken.json", "{");
    expect((await run(["issue", "--key", notJson, "--input", input])).code).toBe(2);

    // A key file whose public key does not match its private key.
    const key = JSON.parse(await readFile(w.issuerKey, "utf8")) as { publicJwk: { x: string }; privateJwk: { x: string } };
    const other = JSON.parse(await readFile(w.holderKey, "utf8")) as { publicJwk: { x: string } };
    await writeFile(w.tmp.path("key-mixed.json"), JSON.stringify({ ...key, publicJwk: other.publicJwk }));
    const mixed = await run(["issue", "--key", w.tmp.path("key-mixed.json"), "--input", input]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain("inconsistent");
    // A private key whose x was swapped: the key cannot sign.
    await writeFile(
      w.tmp.path("key-swapped.json"),
      JSON.stringify({ ...key, publicJwk: other.publicJwk, privateJwk: { ...key.privateJwk, x: other.publicJwk.x } }),
    );
    expect((await run(["issue", "--key", w.tmp.path("key-swapped.json"), "--input", input])).code).toBe(2);
  });

  it("exits 2 when the key is a did:jwk (holders only)", async () => {
    const jwk = w.tmp.path("holder-jwk.json");
    await run(["keys", "new", "--did-jwk", "--out", jwk]);
    const input = await w.tmp.write("ok2.json", JSON.stringify(entitlement()));
    const r = await run(["issue", "--key", jwk, "--input", input]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot issue");
  });
});

describe("haki present", () => {
  it("signs a presentation that verifies, from a JWT or a QR payload, as JWT or QR", async () => {
    const { file } = await issue(w, "bound.jwt", { holder: w.holderDid });
    const r = await run(["present", "--key", w.holderKey, "--credential", file, "--nonce", "n-123"]);
    expect(r.code).toBe(0);
    const result = await verifyPresentation(r.stdout.trim(), await trust(), { now: NOW, nonce: "n-123" });
    expect(result.valid).toBe(true);

    const qrCard = await issue(w, "bound.qr", { holder: w.holderDid }, true);
    const q = await run(["present", "--key", w.holderKey, "--credential", qrCard.file, "--qr"]);
    expect(q.code).toBe(0);
    expect(decodeProof(q.stdout.trim()).kind).toBe("presentation");
  });

  it("exits 1 for a credential of another holder or one that is not a JWT", async () => {
    const other = w.tmp.path("other-holder.json");
    const o = await run(["keys", "new", "--out", other]);
    const { file } = await issue(w, "theirs.jwt", { holder: o.json.did });
    const r = await run(["present", "--key", w.holderKey, "--credential", file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("another holder");
    const junk = await w.tmp.write("junk.txt", "hello");
    expect((await run(["present", "--key", w.holderKey, "--credential", junk])).code).toBe(1);
    const badQr = await w.tmp.write("bad.qr", "HK1:%%%%");
    expect((await run(["present", "--key", w.holderKey, "--credential", badQr])).code).toBe(1);
  });

  it("exits 2 without a key or credential", async () => {
    expect((await run(["present", "--key", w.holderKey])).code).toBe(2);
    expect((await run(["present", "--credential", "-"])).code).toBe(2);
  });
});
