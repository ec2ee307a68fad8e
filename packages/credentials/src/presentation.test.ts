import { describe, expect, it } from "vitest";
import { buildPresentationPayload, serializePresentationPayload, signPresentation, verifyPresentation } from "./presentation";
import { generateKeyPair } from "./keys";
import { signCredential } from "./sign";
import { makeFixture, NOW, sampleInput } from "../test/fixtures";

const f = await makeFixture();
const vc = await signCredential(sampleInput(f.issuer.did, f.holder.did), f.issuer);

describe("presentations", () => {
  it("a holder's fresh presentation verifies and proves the holder", async () => {
    const vp = await signPresentation(vc, f.holder, { now: NOW, nonce: "counter-7" });
    const r = await verifyPresentation(vp, f.trust, { now: new Date(NOW.getTime() + 30_000), nonce: "counter-7", isReplay: () => false });
    if (!r.valid) throw new Error(r.code);
    expect(r.holderBinding).toBe("verified");
    expect(r.presentation.holder).toBe(f.holder.did);
    expect(r.presentation.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(r.presentation.createdAt).toEqual(NOW);
    expect(r.presentation.nonce).toBe("counter-7");
  });

  it("signs the canonical payload bytes, with a new one-time id each time", async () => {
    const vp = await signPresentation(vc, f.holder, { now: NOW, id: "fixed-id-123" });
    const payloadJson = Buffer.from(vp.split(".")[1] ?? "", "base64url").toString();
    const rebuilt = buildPresentationPayload({ credential: vc, holder: f.holder.did, now: NOW, id: "fixed-id-123" });
    expect(payloadJson).toBe(serializePresentationPayload(rebuilt));
    expect(Object.keys(JSON.parse(payloadJson))).toEqual(["iss", "jti", "iat", "vp"]);
    const a = await signPresentation(vc, f.holder, { now: NOW });
    const b = await signPresentation(vc, f.holder, { now: NOW });
    expect(a).not.toBe(b);
  });

  it("works with a did:jwk holder", async () => {
    const holder = await generateKeyPair({ method: "jwk" });
    const own = await signCredential(sampleInput(f.issuer.did, holder.did), f.issuer);
    const r = await verifyPresentation(await signPresentation(own, holder, { now: NOW }), f.trust, { now: NOW });
    expect(r.valid).toBe(true);
  });

  it("refuses to present another holder's card", async () => {
    const other = await generateKeyPair();
    await expect(signPresentation(vc, other, { now: NOW })).rejects.toMatchObject({ code: "ERR_KEY_MISMATCH" });
  });

  it("awaits an async replay check (e.g. IndexedDB)", async () => {
    const vp = await signPresentation(vc, f.holder, { now: NOW });
    const r = await verifyPresentation(vp, f.trust, { now: NOW, isReplay: async () => true });
    expect(r).toMatchObject({ valid: false, code: "ERR_PRESENTATION_REPLAYED" });
  });

  it("refuses malformed presentations", async () => {
    const vp = await signPresentation(vc, f.holder, { now: NOW });
    for (const bad of ["", "a.b.c", vp.split(".").slice(0, 2).join("."), vc]) {
      expect(await verifyPresentation(bad, f.trust, { now: NOW })).toMatchObject({ valid: false, code: "ERR_MALFORMED" });
    }
  });
});
