import { describe, expect, it } from "vitest";
import { Resolver } from "did-resolver";
import { buildDidWebDocument, createOfflineResolverRegistry, didWebUrl, fullKeyId, resolveDidOffline } from "./did";
import { generateKeyPair } from "./keys";
import { makeFixture, ISSUER_DID } from "../test/fixtures";

const f = await makeFixture();

describe("did:web", () => {
  it("maps identifiers to document URLs", () => {
    expect(didWebUrl("did:web:haki.example.org")).toBe("https://haki.example.org/.well-known/did.json");
    expect(didWebUrl("did:web:haki.example.org:programmes:cash")).toBe("https://haki.example.org/programmes/cash/did.json");
    expect(didWebUrl("did:web:localhost%3A3000")).toBe("https://localhost:3000/.well-known/did.json");
    expect(() => didWebUrl("did:key:z6Mk")).toThrow(expect.objectContaining({ code: "ERR_KEY_INVALID" }));
  });

  it("builds the document an issuer publishes", () => {
    const doc = buildDidWebDocument({ did: ISSUER_DID, keys: [{ id: "key-1", publicKeyJwk: f.issuer.publicJwk }] });
    expect(doc).toEqual({
      "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
      id: ISSUER_DID,
      verificationMethod: [{ id: `${ISSUER_DID}#key-1`, type: "JsonWebKey2020", controller: ISSUER_DID, publicKeyJwk: { crv: "Ed25519", kty: "OKP", x: f.issuer.publicJwk.x } }],
      authentication: [`${ISSUER_DID}#key-1`],
      assertionMethod: [`${ISSUER_DID}#key-1`],
    });
    expect(() => buildDidWebDocument({ did: ISSUER_DID, keys: [{ id: "k", publicKeyJwk: { kty: "EC" } as never }] })).toThrow();
  });

  it("normalises key ids", () => {
    expect(fullKeyId(ISSUER_DID, "key-1")).toBe(`${ISSUER_DID}#key-1`);
    expect(fullKeyId(ISSUER_DID, "#key-1")).toBe(`${ISSUER_DID}#key-1`);
    expect(fullKeyId(ISSUER_DID, `${ISSUER_DID}#key-1`)).toBe(`${ISSUER_DID}#key-1`);
  });
});

describe("offline resolution", () => {
  it("resolves did:key, did:jwk and trusted did:web without network, and nothing else", async () => {
    const jwkHolder = await generateKeyPair({ method: "jwk" });
    const resolver = new Resolver(createOfflineResolverRegistry(f.trust));
    for (const did of [f.holder.did, jwkHolder.did, ISSUER_DID]) {
      const r = await resolver.resolve(did);
      expect(r.didDocument?.id).toBe(did);
      expect(r.didDocument?.verificationMethod?.[0]?.publicKeyJwk?.crv).toBe("Ed25519");
    }
    expect((await resolver.resolve("did:web:unknown.example")).didResolutionMetadata.error).toBe("notFound");
    expect(resolveDidOffline("did:key:zBroken").didResolutionMetadata.error).toBe("invalidDid");
    const extra = buildDidWebDocument({ did: "did:web:other.example", keys: [{ id: "k1", publicKeyJwk: f.holder.publicJwk }] });
    expect(resolveDidOffline("did:web:other.example#k1", undefined, [extra]).didDocument?.id).toBe("did:web:other.example");
  });
});
