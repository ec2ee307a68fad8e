import { describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { vector } from "@haki/claim169/reference-vectors";
import { makeIdentityAuthority } from "@haki/claim169/testing";
import { verifyClaim169 } from "@haki/claim169/verify";
import { TrustBundle } from "@haki/redemption/trust-bundle";
import { createTestUser, type TestContext } from "@/test/context";
import { buildTrustBundle } from "@/server/verifier/service-points";
import { addIdentityAuthority, publicJwkOf, removeIdentityAuthority } from "./add-identity-authority";
import { readIdentityAuthorities } from "./read-identity-authorities";
import { useIssuedCycle, useTestContext } from "@/test/suite";

const bundleOf = async (t: TestContext) => TrustBundle.parse(decodeJwt(await buildTrustBundle(t.ctx)));

describe("national ID authorities", () => {
  const t = useTestContext();
  const fx = useIssuedCycle(t, 1);

  it("reads a pasted key as JWK, PEM or hex, for its algorithm, and refuses private keys and the wrong curve", async () => {
    const ed = vector("ed25519-signed").signing_key!.public_key_hex;
    const fromHex = publicJwkOf(ed, "EdDSA");
    expect(fromHex).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    const { createPublicKey, generateKeyPairSync } = await import("node:crypto");
    const pem = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: fromHex.x! }, format: "jwk" }).export({ type: "spki", format: "pem" }).toString();
    expect(publicJwkOf(pem, "EdDSA")).toEqual(fromHex);
    expect(publicJwkOf(JSON.stringify(fromHex), "EdDSA")).toEqual(fromHex);
    expect(publicJwkOf(vector("ecdsa-p256-signed").signing_key!.public_key_hex, "ES256")).toMatchObject({ kty: "EC", crv: "P-256" });
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" });
    expect(() => publicJwkOf(JSON.stringify(ec.privateKey.export({ format: "jwk" })), "ES256")).toThrow(expect.objectContaining({ code: "ERR_BAD_REQUEST" }));
    expect(() => publicJwkOf(ec.privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "ES256")).toThrow(expect.objectContaining({ code: "ERR_BAD_REQUEST" }));
    expect(() => publicJwkOf(pem, "ES256")).toThrow(expect.objectContaining({ code: "ERR_BAD_REQUEST" }));
    expect(() => publicJwkOf("not a key", "EdDSA")).toThrow(expect.objectContaining({ code: "ERR_BAD_REQUEST" }));
  });

  it("are added and removed by an office (audited, officers and admins only) and travel in the trust bundle; an ID card they sign verifies against it", async () => {
    expect((await bundleOf(t)).identityIssuers).toBeUndefined();
    const authority = await makeIdentityAuthority({ alg: "ES256", kid: "nid-2027", id: "https://id.gov.example", name: "National Identification Authority" });
    const key = authority.issuer.keys[0]!;
    const { id } = await addIdentityAuthority(t.ctx, { issuer: "https://id.gov.example", name: "National Identification Authority", alg: "ES256", kid: "nid-2027", publicKey: JSON.stringify(key.publicKeyJwk) }, fx.officer.actor);
    await addIdentityAuthority(t.ctx, { issuer: "https://mosip.example.org", name: "Reference authority", alg: "EdDSA", kid: "", publicKey: vector("ed25519-signed").signing_key!.public_key_hex }, fx.officer.actor);
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    await expect(addIdentityAuthority(t.ctx, { issuer: "x", name: "x", alg: "EdDSA", publicKey: "00" }, auditor.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
    await expect(addIdentityAuthority(t.ctx, { issuer: "", name: "x", alg: "EdDSA", publicKey: "00" }, fx.officer.actor)).rejects.toMatchObject({ code: "ERR_BAD_REQUEST" });
    expect((await readIdentityAuthorities(t.ctx)).map((r) => r.name).sort()).toEqual(["National Identification Authority", "Reference authority"]);

    const bundle = await bundleOf(t);
    expect(bundle.identityIssuers).toEqual([
      { id: "https://id.gov.example", name: "National Identification Authority", keys: [{ alg: "ES256", kid: "nid-2027", publicKeyJwk: key.publicKeyJwk }] },
      expect.objectContaining({ id: "https://mosip.example.org", keys: [expect.objectContaining({ alg: "EdDSA" })] }),
    ]);
    const published = await verifyClaim169(vector("ed25519-signed").qr_data, { identityIssuers: bundle.identityIssuers ?? [] }, { now: new Date("2026-06-01T00:00:00Z") });
    expect(published.identity.fullName).toBe("Signed Test Person");

    await removeIdentityAuthority(t.ctx, { id }, fx.officer.actor);
    await expect(removeIdentityAuthority(t.ctx, { id }, fx.officer.actor)).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
    expect((await bundleOf(t)).identityIssuers?.map((i) => i.id)).toEqual(["https://mosip.example.org"]);
    const audit = await t.ctx.db.auditEvent.findMany({ where: { action: { startsWith: "identity-authority." } }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["identity-authority.add", "identity-authority.add", "identity-authority.remove"]);
  });
});
