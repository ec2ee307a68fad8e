import { generateKeyPair } from "@haki/credentials/keys";
import { CompactSign } from "jose";
import { describe, expect, it } from "vitest";
import { CARD_STATE_TYP, signCardStateRequest, verifyCardStateRequest } from "./request";

const OFFICE = "https://pay.example.org";
const NOW = new Date("2027-03-10T09:00:00Z");

async function holder() {
  const k = await generateKeyPair();
  return { did: k.did, kid: k.kid, privateKey: k.privateKey };
}

describe("card-state request", () => {
  it("is signed by the holder key and read back by the office", async () => {
    const h = await holder();
    const jws = await signCardStateRequest({ holder: h, audience: `${OFFICE}/`, credentials: ["urn:uuid:1"], now: NOW });
    const r = await verifyCardStateRequest(jws, { audience: OFFICE, now: new Date(NOW.getTime() + 30_000) });
    expect(r).toMatchObject({ iss: h.did, aud: OFFICE, credentials: ["urn:uuid:1"] });
    expect(r.jti).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const again = await signCardStateRequest({ holder: h, audience: OFFICE, credentials: ["urn:uuid:1"], now: NOW });
    expect((await verifyCardStateRequest(again, { audience: OFFICE, now: NOW })).jti).not.toBe(r.jti);
  });

  it("refuses another key, another office, an old or future request, and what is not one", async () => {
    const h = await holder();
    const other = await holder();
    const code = (p: Promise<unknown>) => p.then(() => "accepted", (e: { code?: string }) => e.code);
    const claims = { iss: h.did, aud: OFFICE, iat: NOW.getTime() / 1000, jti: "a".repeat(20), credentials: ["urn:uuid:1"] };
    const signedBy = (key: CryptoKey, body: object, typ = CARD_STATE_TYP) =>
      new CompactSign(new TextEncoder().encode(JSON.stringify(body))).setProtectedHeader({ alg: "EdDSA", typ }).sign(key);
    expect(await code(verifyCardStateRequest(await signedBy(other.privateKey, claims), { audience: OFFICE, now: NOW }))).toBe("ERR_CARD_STATE_SIGNATURE_INVALID");
    expect(await code(verifyCardStateRequest(await signedBy(h.privateKey, claims), { audience: "https://other.example", now: NOW }))).toBe("ERR_CARD_STATE_AUDIENCE");
    expect(await code(verifyCardStateRequest(await signedBy(h.privateKey, claims), { audience: OFFICE, now: new Date(NOW.getTime() + 121_000) }))).toBe("ERR_CARD_STATE_REQUEST_STALE");
    expect(await code(verifyCardStateRequest(await signedBy(h.privateKey, claims), { audience: OFFICE, now: new Date(NOW.getTime() - 121_000) }))).toBe("ERR_CARD_STATE_REQUEST_STALE");
    expect(await code(verifyCardStateRequest(await signedBy(h.privateKey, claims, "JWT"), { audience: OFFICE, now: NOW }))).toBe("ERR_CARD_STATE_REQUEST_INVALID");
    expect(await code(verifyCardStateRequest(await signedBy(h.privateKey, { ...claims, credentials: [] }), { audience: OFFICE, now: NOW }))).toBe("ERR_CARD_STATE_REQUEST_INVALID");
    expect(await code(verifyCardStateRequest("not.a.jws", { audience: OFFICE, now: NOW }))).toBe("ERR_CARD_STATE_REQUEST_INVALID");
    expect(await code(verifyCardStateRequest(await signedBy(h.privateKey, claims), { audience: OFFICE, now: NOW }))).toBe("accepted");
  });
});
