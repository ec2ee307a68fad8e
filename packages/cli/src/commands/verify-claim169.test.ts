import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { encodeClaim169 } from "@haki/claim169/encode";
import { makeIdentityAuthority } from "@haki/claim169/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectVerified, makeWorld, run, type World } from "../../test/harness";

/** The reference implementation's published vectors (each names its source file and commit). */
const vectors: Array<{ name: string; qr_data: string; signing_key?: { public_key_hex: string } }> = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve("@haki/claim169/test-vectors/reference-vectors.json"), "utf8"),
).vectors;
const vector = (name: string) => vectors.find((v) => v.name === name)!;

let w: World;
let identityTrust: string;
beforeAll(async () => {
  w = await makeWorld();
  const x = Buffer.from(vector("ed25519-signed").signing_key!.public_key_hex, "hex").toString("base64url");
  identityTrust = await w.tmp.write(
    "identity.json",
    JSON.stringify({ identityIssuers: [{ id: "https://mosip.example.org", name: "MOSIP test authority", keys: [{ alg: "EdDSA", publicKeyJwk: { kty: "OKP", crv: "Ed25519", x } }] }] }),
  );
});
afterAll(() => w.tmp.remove());

describe("haki verify: Claim 169 ID QR payloads", () => {
  it("verifies the published Ed25519 vector against --identity-trust and prints the person", async () => {
    const file = await w.tmp.write("id.txt", vector("ed25519-signed").qr_data + "\n");
    const r = await run(["verify", file, "--identity-trust", identityTrust, "--now", "2025-10-01T00:00:00Z"]);
    expectVerified(r, {
      kind: "identity",
      format: "claim169",
      issuer: { id: "https://mosip.example.org", name: "MOSIP test authority" },
      key: { alg: "EdDSA" },
      identity: { id: "ID-SIGNED-001", fullName: "Signed Test Person" },
      validUntil: "2027-01-15T08:00:00.000Z",
    });
  });

  it("refuses it once expired (the CLI's clock), encrypted ones, and unsigned ones, exit 1 with the code", async () => {
    const expired = await run(["verify", "-", "--identity-trust", identityTrust], { stdin: vector("ed25519-signed").qr_data });
    expect(expired.code).toBe(1);
    expect(expired.json).toMatchObject({ valid: false, format: "claim169", code: "ERR_CLAIM169_EXPIRED", reason: "This ID card expired on 2027-01-15." });
    const encrypted = await run(["verify", "-", "--identity-trust", identityTrust], { stdin: vector("encrypted-aes256").qr_data });
    expect(encrypted.json).toMatchObject({ valid: false, code: "ERR_CLAIM169_ENCRYPTED" });
    const unsigned = await run(["verify", "-", "--identity-trust", identityTrust, "--now", "2025-10-01T00:00:00Z"], { stdin: vector("minimal").qr_data });
    expect(unsigned.json).toMatchObject({ valid: false, code: "ERR_CLAIM169_SIGNATURE_INVALID" });
  });

  it("shows the photo for the visual check, and a Haki payload still needs --trust", async () => {
    const authority = await makeIdentityAuthority({ id: "https://mosip.example.org", kid: "k1" });
    const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    const text = await encodeClaim169(
      { id: "29-4410-7765", fullName: "Amina Njeri", dateOfBirth: "19880102", biometrics: { face: [{ data: photo, formatCode: 0, subFormatCode: 1 }] } },
      { issuer: authority.issuer.id },
      authority.signer,
    );
    const trust = await w.tmp.write("identity2.json", JSON.stringify({ identityIssuers: [authority.issuer] }));
    const r = await run(["verify", "-", "--identity-trust", trust], { stdin: text });
    expectVerified(r, {
      identity: { fullName: "Amina Njeri", birthDate: "1988-01-02" },
      photo: { mediaType: "image/jpeg", source: "face", base64: Buffer.from(photo).toString("base64") },
      biometrics: { face: [{ format: "image", subFormat: "jpeg", bytes: 7 }] },
    });
    const noTrust = await run(["verify", "-", "--trust", w.trust], { stdin: text });
    expect(noTrust.code).toBe(2);
    expect(noTrust.stderr).toContain("--identity-trust");
    const hakiWithoutTrust = await run(["verify", "-", "--identity-trust", trust], { stdin: "hello" });
    expect(hakiWithoutTrust.code).toBe(2);
    expect(hakiWithoutTrust.stderr).toContain("--trust is required");
    const badTrust = await run(["verify", "-", "--identity-trust", w.trust], { stdin: text });
    expect(badTrust.code).toBe(2);
  });
});
