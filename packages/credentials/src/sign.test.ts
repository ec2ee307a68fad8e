import { describe, expect, it } from "vitest";
import { backend as nodeBackend } from "./lib/crypto-node";
import { backend as webBackend } from "./lib/crypto-web";
import { backend as activeBackend } from "#crypto";
import { buildEntitlementPayload, serializeEntitlementPayload } from "./canonical";
import { publicKeyHandle } from "./lib/jws";
import { generateKeyPair } from "./keys";
import { serializeJwsHeader, signCredential, signEntitlementPayload } from "./sign";
import { verifyCredential } from "./verify";
import { makeFixture, NOW, sampleInput } from "../test/fixtures";

const f = await makeFixture();
const input = sampleInput(f.issuer.did, f.holder.did);

describe("signCredential", () => {
  it("signs exactly the canonical header and payload bytes", async () => {
    const jwt = await signCredential(input, f.issuer);
    const [h, p] = jwt.split(".") as [string, string];
    expect(Buffer.from(h, "base64url").toString()).toBe(`{"alg":"EdDSA","typ":"JWT","kid":"did:web:haki.example.org#key-1"}`);
    expect(Buffer.from(h, "base64url").toString()).toBe(serializeJwsHeader(f.issuer.kid));
    expect(Buffer.from(p, "base64url").toString()).toBe(serializeEntitlementPayload(buildEntitlementPayload(input)));
  });

  it("is deterministic (Ed25519 signatures are), so a codec can rebuild the same token", async () => {
    expect(await signCredential(input, f.issuer)).toBe(await signCredential(input, f.issuer));
    expect(await signEntitlementPayload(buildEntitlementPayload(input), f.issuer)).toBe(await signCredential(input, f.issuer));
  });

  it("keeps non-ASCII names as UTF-8", async () => {
    const named = { ...input, subject: { ...input.subject, name: "Fatuma Saïd — فاطمة" } };
    const jwt = await signCredential(named, f.issuer);
    const r = await verifyCredential(jwt, f.trust, { now: NOW });
    expect(r.valid && r.subject.name).toBe("Fatuma Saïd — فاطمة");
  });

  it("refuses bad input with ERR_INPUT_INVALID and the zod error as cause", async () => {
    const bad = [
      { ...input, subject: { ...input.subject, beneficiary: "12" } },
      { ...input, subject: { ...input.subject, nationalId: "12345678" } },
      { ...input, validUntil: new Date("2027-02-01T00:00:00Z") },
      { ...input, subject: { ...input.subject, benefit: { type: "Voucher", description: "School fees", amount: 30 } } },
      { ...input, holder: "did:web:phone.example" },
    ];
    for (const b of bad) {
      await expect(signCredential(b as never, f.issuer)).rejects.toMatchObject({ code: "ERR_INPUT_INVALID", cause: expect.anything() });
    }
  });

  it("refuses a key that is not the issuer's", async () => {
    const other = await generateKeyPair();
    await expect(signCredential(input, other)).rejects.toMatchObject({ code: "ERR_KEY_MISMATCH" });
    await expect(signCredential(input, { kid: f.issuer.kid } as never)).rejects.toMatchObject({ code: "ERR_KEY_INVALID" });
  });
});

describe("crypto backends", () => {
  it("uses node:crypto under Node (the 'node' condition of #crypto)", () => {
    expect(activeBackend.name).toBe("node");
  });

  it("node and Web Crypto backends produce the same signatures and verify each other's", async () => {
    const input = "eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0";
    const k = await generateKeyPair();
    const sigNode = await nodeBackend.signJws(input, k.privateKey);
    const sigWeb = await webBackend.signJws(input, k.privateKey);
    expect(sigWeb).toBe(sigNode);
    const pubWeb = await webBackend.importPublicKey(k.publicJwk);
    const pubNode = await nodeBackend.importPublicKey(k.publicJwk);
    expect(await webBackend.verifyJws(input, sigNode, pubWeb)).toBe(true);
    expect(nodeBackend.verifyJws(input, sigWeb, pubNode)).toBe(true);
    expect(await webBackend.verifyJws(`${input}x`, sigNode, pubWeb)).toBe(false);
    expect(nodeBackend.verifyJws(input, sigWeb.slice(0, -2), pubNode)).toBe(false);
    expect(await webBackend.verifyJws(input, "!!", pubWeb)).toBe(false);
  });

  it("both backends decode base64url strictly and agree on text", () => {
    for (const b of [nodeBackend, webBackend]) {
      expect(b.decodeText(b.encodeText("Amina — أمينة"))).toBe("Amina — أمينة");
      expect(b.decodeText("eyJ+")).toBeUndefined();
      expect(b.decodeText("//8")).toBeUndefined(); // not UTF-8
    }
    expect(webBackend.randomBytes(12)).toHaveLength(12);
  });

  it("caches imported public keys", async () => {
    const k = await generateKeyPair();
    expect(await publicKeyHandle(k.publicJwk)).toBe(await publicKeyHandle({ ...k.publicJwk }));
  });
});
