import { describe, expect, it } from "vitest";
import { getResolver } from "key-did-resolver";
import { Resolver } from "did-resolver";
import { base58 } from "@scure/base";
import { didJwkFromPublicJwk, didKeyFromPublicKey, keyIdForDid, publicJwkFromDid, publicKeyFromDid, rawFromPublicJwk } from "./did";
import { SignJWT, importJWK } from "jose";
import { exportPrivateJwk, generateKeyPair, importKeyPair, verifyJwsSignature, withIdentifier } from "./keys";

describe("keys", () => {
  it("generates an Ed25519 key pair named by did:key, whose DID an independent resolver reads back", async () => {
    const k = await generateKeyPair();
    expect(k.did).toMatch(/^did:key:z6Mk/);
    expect(k.kid).toBe(`${k.did}#${k.did.slice(8)}`);
    const resolved = await new Resolver(getResolver()).resolve(k.did);
    const vm = resolved.didDocument?.verificationMethod?.[0];
    // key-did-resolver (Ceramic) publishes Ed25519VerificationKey2018 with base58 keys.
    const raw = rawFromPublicJwk(k.publicJwk);
    expect(Buffer.from(base58.decode(vm?.publicKeyBase58 ?? ""))).toEqual(Buffer.from(raw));
    expect(didKeyFromPublicKey(raw)).toBe(k.did);
    expect(Buffer.from(publicKeyFromDid(k.did))).toEqual(Buffer.from(raw));
  });

  it("decodes the did:key spec test vector", () => {
    // From the did:key method spec (Ed25519 example).
    const did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    expect(publicKeyFromDid(did)).toHaveLength(32);
    expect(didKeyFromPublicKey(publicKeyFromDid(did))).toBe(did);
  });

  it("round-trips did:jwk, canonical member order", async () => {
    const k = await generateKeyPair({ method: "jwk" });
    expect(k.did).toMatch(/^did:jwk:/);
    expect(k.kid).toBe(`${k.did}#0`);
    const json = JSON.parse(Buffer.from(k.did.slice(8), "base64url").toString());
    expect(Object.keys(json)).toEqual(["crv", "kty", "x"]);
    expect(publicJwkFromDid(k.did)).toEqual({ crv: "Ed25519", kty: "OKP", x: k.publicJwk.x });
    expect(didJwkFromPublicJwk(k.publicJwk)).toBe(k.did);
    expect(keyIdForDid(k.did)).toBe(k.kid);
  });

  it("refuses DIDs that carry no Ed25519 key", () => {
    const p256 = "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169";
    const jwkWithD = `did:jwk:${Buffer.from(JSON.stringify({ kty: "OKP", crv: "Ed25519", x: "A".repeat(43), d: "B".repeat(43) })).toString("base64url")}`;
    for (const did of [p256, "did:web:example.org", "did:key:z0OIl", "did:jwk:!!", jwkWithD, "did:key:z6Mk"]) {
      expect(() => publicJwkFromDid(did), did).toThrow(expect.objectContaining({ code: "ERR_KEY_INVALID" }));
    }
  });

  it("exports and re-imports a private JWK, under a did:web name", async () => {
    const k = await generateKeyPair();
    const jwk = await exportPrivateJwk(k);
    const again = await importKeyPair(jwk, { did: "did:web:haki.example.org", keyId: "key-2" });
    expect(again.publicJwk).toEqual(k.publicJwk);
    expect(again.kid).toBe("did:web:haki.example.org#key-2");
    expect(withIdentifier(k, "did:web:x.org", "#k").kid).toBe("did:web:x.org#k");
  });

  it("refuses a private JWK whose x does not match d, or that is no Ed25519 key", async () => {
    const a = await exportPrivateJwk(await generateKeyPair());
    const b = await exportPrivateJwk(await generateKeyPair());
    await expect(importKeyPair({ ...a, x: b.x })).rejects.toMatchObject({ code: "ERR_KEY_INVALID" });
    await expect(importKeyPair({ kty: "EC", crv: "P-256", x: a.x, d: a.d })).rejects.toMatchObject({ code: "ERR_KEY_INVALID" });
    await expect(importKeyPair({ ...a, d: "short" })).rejects.toMatchObject({ code: "ERR_KEY_INVALID" });
  });

  it("keeps non-extractable keys non-extractable", async () => {
    const k = await generateKeyPair({ extractable: false });
    await expect(exportPrivateJwk(k)).rejects.toMatchObject({ code: "ERR_KEY_INVALID" });
  });

  it("verifyJwsSignature checks an EdDSA JWS that jose signed, and refuses a flipped signature, another key and alg none", async () => {
    const [holder, other] = await Promise.all([generateKeyPair(), generateKeyPair()]);
    const jws = await new SignJWT({ aud: "https://issuer.test", nonce: "n" })
      .setProtectedHeader({ alg: "EdDSA", typ: "openid4vci-proof+jwt" })
      .sign(await importJWK(await exportPrivateJwk(holder), "EdDSA"));
    expect(await verifyJwsSignature(jws, holder.publicJwk)).toBe(true);
    expect(await verifyJwsSignature(jws, other.publicJwk)).toBe(false);
    const [h, p, sig] = jws.split(".");
    const flipped = `${h}.${p}.${sig![0] === "A" ? "B" : "A"}${sig!.slice(1)}`;
    expect(await verifyJwsSignature(flipped, holder.publicJwk)).toBe(false);
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${p}.${sig}`;
    expect(await verifyJwsSignature(none, holder.publicJwk)).toBe(false);
    expect(await verifyJwsSignature("not a jws", holder.publicJwk)).toBe(false);
  });
});
