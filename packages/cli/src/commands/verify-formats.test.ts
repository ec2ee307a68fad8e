/**
 * `haki verify` on the 2026 formats: VC 2.0 vc+jwt and vp+jwt (JWT and QR), SD-JWT VC issued and
 * presented (with a Token Status List folder), a phone QR code that names its programme and key by
 * reference, and VC 1.1 cards issued before the status context.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildEntitlementPayload, LEGACY_VC1_CONTEXTS } from "@haki/credentials/canonical";
import { importKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { issueSdJwtVc } from "@haki/credentials/sd-jwt";
import { signEntitlementPayload } from "@haki/credentials/sign";
import { DEMO_SUBJECT } from "@haki/credentials/testing";
import { encodeProof, proofReferences } from "@haki/qr/codec";
import { createStatusList, setStatus } from "@haki/status-list/bitstring";
import { buildStatusListToken, signStatusListToken, tokenStatusListFromBitstrings } from "@haki/status-list/token";
import { NOW, entitlement, expectVerified, issue, makeWorld, run, type World } from "../../test/harness";

let w: World;
let issuer: HakiKeyPair;
let holder: HakiKeyPair;
const TOKEN_URI = "https://issuer.example/status/1/token";

async function keyOf(file: string): Promise<HakiKeyPair> {
  const k = JSON.parse(await readFile(file, "utf8")) as { privateJwk: unknown; did: string; kid: string };
  return k.did.startsWith("did:web:") ? importKeyPair(k.privateJwk, { did: k.did, keyId: k.kid }) : importKeyPair(k.privateJwk);
}

beforeAll(async () => {
  w = await makeWorld();
  issuer = await keyOf(w.issuerKey);
  holder = await keyOf(w.holderKey);
});
afterAll(() => w.tmp.remove());

describe("VC 2.0 (vc+jwt, vp+jwt)", () => {
  it("issues with --format vc2 and verifies the JWT and its QR payload", async () => {
    const input = await w.tmp.write("vc2.input.json", JSON.stringify(entitlement({ holder: w.holderDid })));
    const issued = await run(["issue", "--key", w.issuerKey, "--input", input, "--format", "vc2"]);
    expect(issued.code).toBe(0);
    const jwt = issued.stdout.trim();
    expect(JSON.parse(Buffer.from(jwt.split(".")[0]!, "base64url").toString()).typ).toBe("vc+jwt");
    for (const text of [jwt, encodeProof(jwt)]) {
      const r = await run(["verify", "--trust", w.trust], { stdin: text });
      expectVerified(r, { kind: "credential", credentialFormat: "vc+jwt", holder: w.holderDid });
    }
    const file = await w.tmp.write("vc2.jwt", jwt);
    const vp = await run(["present", "--key", w.holderKey, "--credential", file, "--nonce", "n-1", "--audience", "sp-1"]);
    expect(JSON.parse(Buffer.from(vp.stdout.split(".")[0]!, "base64url").toString()).typ).toBe("vp+jwt");
    const r = await run(["verify", "--trust", w.trust, "--nonce", "n-1", "--audience", "sp-1"], { stdin: vp.stdout });
    expect(r.json).toMatchObject({ valid: true, kind: "presentation", credentialFormat: "vc+jwt", holderBinding: "verified" });
    expect((await run(["verify", "--trust", w.trust, "--audience", "sp-2"], { stdin: vp.stdout })).json.code).toBe("ERR_NONCE_MISMATCH");
  });

  it("refuses an unknown --format", async () => {
    const input = await w.tmp.write("bad-format.input.json", JSON.stringify(entitlement()));
    expect((await run(["issue", "--key", w.issuerKey, "--input", input, "--format", "vc3"])).code).toBe(2);
  });
});

describe("QR codes that name programme and key by reference (phone proofs)", () => {
  it("needs the programmes the verifier knows (--programmes, a list or a trust bundle)", async () => {
    const bound = await issue(w, "ref-bound.jwt", { holder: w.holderDid });
    const proof = encodeProof(await signPresentation(bound.text, holder, { now: NOW }), proofReferences(bound.text));
    const without = await run(["verify", "--trust", w.trust], { stdin: proof });
    expect(without.json.code).toBe("ERR_QR_UNKNOWN_ISSUER");
    const bundle = await w.tmp.write("bundle.json", JSON.stringify({ programmes: [DEMO_SUBJECT.programme] }));
    const r = await run(["verify", "--trust", w.trust, "--programmes", bundle], { stdin: proof });
    expectVerified(r, { kind: "presentation", format: "qr" });
  });
});

describe("VC 1.1 cards issued before the status context", () => {
  it("still verify, as JWT and as QR payload", async () => {
    const p = buildEntitlementPayload({ issuer: issuer.did, ...(entitlement() as object) } as never);
    const legacy = await signEntitlementPayload({ ...p, vc: { ...p.vc, "@context": [...LEGACY_VC1_CONTEXTS] } }, issuer);
    for (const text of [legacy, encodeProof(legacy, { issuers: [issuer.did] })]) {
      expect((await run(["verify", "--trust", w.trust], { stdin: text })).json).toMatchObject({ valid: true, credentialFormat: "vc-jwt 1.1" });
    }
  });
});

describe("SD-JWT VC (dc+sd-jwt)", () => {
  const sdInput = () => ({
    issuerUrl: "https://issuer.example",
    holder: w.holderDid,
    subject: (entitlement() as { subject: Record<string, unknown> }).subject as never,
    validFrom: "2027-03-01T00:00:00Z",
    validUntil: "2027-04-01T00:00:00Z",
    status: { uri: TOKEN_URI, index: 7 },
  });

  /** A folder with the issuer's Token Status List, `revoked` / `suspended` indexes set. */
  async function tokenDir(name: string, revoked: number[], suspended: number[]): Promise<string> {
    const dir = w.tmp.path(name);
    await mkdir(dir);
    const list = tokenStatusListFromBitstrings({
      revocation: revoked.reduce((l, i) => setStatus(l, i), createStatusList()),
      suspension: suspended.reduce((l, i) => setStatus(l, i), createStatusList()),
    });
    await writeFile(join(dir, "token.jwt"), await signStatusListToken(buildStatusListToken({ uri: TOKEN_URI, list, issuedAt: NOW }), issuer));
    return dir;
  }

  it("verifies an issued SD-JWT VC, and a presentation made with haki present (chosen disclosures, KB-JWT)", async () => {
    const sdJwt = await issueSdJwtVc(sdInput(), issuer);
    const bare = await run(["verify", "--trust", w.trust], { stdin: sdJwt });
    expect(bare.json).toMatchObject({ valid: true, format: "sd-jwt", kind: "credential", holderBinding: "required", vct: "https://w3id.org/haki/vct/entitlement/v1" });
    expect((await run(["verify", "--trust", w.trust, "--require-holder-proof"], { stdin: sdJwt })).json.code).toBe("ERR_KEY_BINDING_MISSING");

    const file = await w.tmp.write("card.sd-jwt", sdJwt);
    const shown = await run(["present", "--key", w.holderKey, "--credential", file, "--disclose", "benefit", "--disclose", "programme", "--audience", "sp-1", "--nonce", "n-1"]);
    expect(shown.code).toBe(0);
    const ok = await run(["verify", "--trust", w.trust, "--audience", "sp-1", "--nonce", "n-1", "--status-dir", await tokenDir("tokens-clear", [], [])], { stdin: shown.stdout });
    expectVerified(ok, { kind: "presentation", holderBinding: "verified", status: "ok", keyBinding: { audience: "sp-1", nonce: "n-1" } });
    expect((ok.json.disclosed as string[]).sort()).toEqual(["benefit", "programme"]);
    expect(ok.json.subject).not.toHaveProperty("cycle");
    expect((await run(["verify", "--trust", w.trust, "--nonce", "n-2"], { stdin: shown.stdout })).json.code).toBe("ERR_NONCE_MISMATCH");
    expect((await run(["present", "--key", w.holderKey, "--credential", file, "--disclose", "ssn", "--audience", "a", "--nonce", "n"])).code).toBe(2);
  });

  it("reports revoked and suspended SD-JWT VCs from the Token Status List folder", async () => {
    const sdJwt = await issueSdJwtVc(sdInput(), issuer);
    expect((await run(["verify", "--trust", w.trust, "--status-dir", await tokenDir("tokens-revoked", [7], [])], { stdin: sdJwt })).json.code).toBe("ERR_REVOKED");
    expect((await run(["verify", "--trust", w.trust, "--status-dir", await tokenDir("tokens-suspended", [], [7])], { stdin: sdJwt })).json.code).toBe("ERR_SUSPENDED");
  });
});
