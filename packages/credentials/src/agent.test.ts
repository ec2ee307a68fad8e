import { describe, expect, it } from "vitest";
import { createHakiAgent, importHakiKeyPair } from "./agent";
import { signCredential } from "./sign";
import { signPresentation } from "./presentation";
import { trustListOf } from "./trust";
import { verifyCredential } from "./verify";
import { makeFixture, NOW, sampleInput } from "../test/fixtures";

const f = await makeFixture();
const nowSeconds = Math.floor(NOW.getTime() / 1000);

describe("createHakiAgent + EntitlementCredentialPlugin", () => {
  it("signs through Veramo's KMS with the same canonical bytes as the fast path", async () => {
    const agent = await createHakiAgent({ trust: f.trust });
    const id = await agent.didManagerCreate({ provider: "did:key", kms: "local", options: { keyType: "Ed25519" } });
    const input = sampleInput(id.did, f.holder.did);
    const jwt = await agent.createEntitlementCredential({ input });
    const trust = trustListOf({ did: id.did, name: "Veramo-held key" });
    const r = await verifyCredential(jwt, trust, { now: NOW });
    expect(r.valid && r.kid).toBe(`${id.did}#${id.did.slice(8)}`);
    // Veramo's generic verifier accepts it too.
    expect((await agent.verifyCredential({ credential: jwt, policies: { now: nowSeconds } })).verified).toBe(true);
  });

  it("uses the fast path for an imported Haki key, and Veramo can sign with the same key", async () => {
    const agent = await createHakiAgent({ trust: f.trust });
    const identifier = await importHakiKeyPair(agent, f.issuer);
    expect(identifier.did).toBe(f.issuer.did);
    const input = sampleInput(f.issuer.did, f.holder.did);
    const jwt = await agent.createEntitlementCredential({ input });
    expect(jwt).toBe(await signCredential(input, f.issuer));
    const r = await agent.verifyEntitlementCredential({ credential: jwt, options: { now: NOW } });
    expect(r.valid).toBe(true);
    const vp = await signPresentation(jwt, f.holder, { now: NOW });
    const p = await agent.verifyEntitlementPresentation({ presentation: vp, options: { now: NOW } });
    expect(p.valid && p.holderBinding).toBe("verified");
  });

  it("passes the status lookup to verification", async () => {
    const agent = await createHakiAgent({ trust: f.trust, status: (e) => e.statusPurpose === "suspension" });
    const jwt = await signCredential(sampleInput(f.issuer.did), f.issuer);
    expect(await agent.verifyEntitlementCredential({ credential: jwt, options: { now: NOW } })).toMatchObject({ code: "ERR_SUSPENDED" });
  });

  it("refuses to issue for a DID the agent does not hold", async () => {
    const agent = await createHakiAgent({ trust: f.trust });
    await expect(agent.createEntitlementCredential({ input: sampleInput("did:web:nobody.example") })).rejects.toThrow();
  });
});
