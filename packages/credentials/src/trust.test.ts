import { describe, expect, it } from "vitest";
import { findIssuerKeys, parseTrustList, trustListOf } from "./trust";
import { makeFixture, ISSUER_DID } from "../test/fixtures";

const f = await makeFixture();

describe("trust list", () => {
  it("validates what it reads from storage", () => {
    const ok = { issuers: [{ did: ISSUER_DID, name: "Ministry", keys: [{ id: "key-1", publicKeyJwk: f.issuer.publicJwk }] }], updatedAt: "2027-03-01T00:00:00Z" };
    expect(parseTrustList(ok).issuers).toHaveLength(1);
    const bad = [
      { ...ok, updatedAt: "yesterday" },
      { ...ok, issuers: [{ did: ISSUER_DID, name: "No keys", keys: [] }] },
      { ...ok, issuers: [{ did: "did:ethr:0x12", name: "Other method", keys: [] }] },
      { ...ok, issuers: [{ did: ISSUER_DID, name: "EC key", keys: [{ id: "k", publicKeyJwk: { kty: "EC", crv: "P-256", x: "a", y: "b" } }] }] },
      null,
    ];
    for (const b of bad) expect(() => parseTrustList(b)).toThrow(expect.objectContaining({ code: "ERR_TRUST_LIST_INVALID" }));
  });

  it("finds keys by kid, by fragment, or all keys when the JWT names none", async () => {
    expect(findIssuerKeys(f.trust, ISSUER_DID, `${ISSUER_DID}#key-1`)?.[0]?.publicKeyJwk).toEqual(f.issuer.publicJwk);
    expect(findIssuerKeys(f.trust, ISSUER_DID, "#key-1")).toHaveLength(1);
    expect(findIssuerKeys(f.trust, ISSUER_DID)).toHaveLength(1);
    expect(findIssuerKeys(f.trust, ISSUER_DID, `${ISSUER_DID}#key-2`)).toBeUndefined();
    expect(findIssuerKeys(f.trust, ISSUER_DID, "did:web:evil.example#key-1")).toBeUndefined();
    expect(findIssuerKeys(f.trust, "did:web:unknown.example")).toBeUndefined();
    const local = trustListOf({ did: f.holder.did, name: "did:key issuer" });
    expect(findIssuerKeys(local, f.holder.did, f.holder.kid)?.[0]?.publicKeyJwk).toEqual(f.holder.publicJwk);
  });
});
