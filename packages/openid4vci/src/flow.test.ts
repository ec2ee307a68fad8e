import { compactVerify, importJWK } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { parseCredentialOfferUri, receiveCredential, summarizeOffer } from "./client";
import { ReceiveError } from "./errors";
import { createCredentialOffer } from "./offer";
import { registerOffer } from "./server";
import { ISSUER_URL, makeHarness, makeHolder, type Harness } from "./lib/test-harness";

const WALLET = "https://wallet.haki.example/receive";

async function receiveError(run: Promise<unknown>): Promise<ReceiveError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof ReceiveError) return error;
    throw error;
  }
  throw new Error("expected a ReceiveError");
}

describe("pre-authorised flow, wallet <-> issuer in process", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await makeHarness();
  });

  it("issues a credential bound to the holder and refuses the offer a second time", async () => {
    const { offerUri, link } = await registerOffer({
      config: h.deps.config, store: h.store, id: "ent-1", expiresAt: new Date(h.clock.now.getTime() + 3600_000), walletUrl: WALLET,
    });
    expect(offerUri.startsWith("openid-credential-offer://?credential_offer=")).toBe(true);
    expect(link.startsWith(`${WALLET}?credential_offer=`)).toBe(true);

    const { holder } = await makeHolder();
    const offer = await parseCredentialOfferUri(link);
    let verifiedWith: string | undefined;
    const received = await receiveCredential({
      offer, holder, fetch: h.fetch, now: () => h.clock.now,
      verifyCredential: async (jwt, { credentialIssuer }) => {
        verifiedWith = credentialIssuer;
        await compactVerify(jwt, await importJWK(h.issuerKey.publicJwk, "EdDSA"));
      },
    });
    expect(verifiedWith).toBe(ISSUER_URL);
    expect(received.credentialConfigurationId).toBe("EntitlementCredential_jwt_vc_json");
    const payload = JSON.parse(Buffer.from(received.credential.split(".")[1] ?? "", "base64url").toString());
    expect(payload.sub).toBe(holder.did);
    expect(h.issued).toEqual([{ offer: expect.objectContaining({ id: "ent-1" }), holderDid: holder.did }]);
    expect(h.calls).toEqual([
      "GET /.well-known/openid-credential-issuer",
      "GET /.well-known/oauth-authorization-server",
      "POST /api/oid4vci/token",
      "POST /api/oid4vci/nonce",
      "POST /api/oid4vci/credential",
    ]);

    const again = await receiveError(receiveCredential({ offer: await parseCredentialOfferUri(offerUri), holder, fetch: h.fetch, now: () => h.clock.now }));
    expect(again.code).toBe("ERR_OFFER_ALREADY_USED");
    expect(h.issued).toHaveLength(1);
  });

  it("asks for the PIN before any request, counts wrong PINs, then blocks the offer", async () => {
    const { offerUri, txCode } = await registerOffer({
      config: h.deps.config, store: h.store, id: "ent-pin", expiresAt: new Date(h.clock.now.getTime() + 3600_000), txCodeLength: 6,
    });
    expect(txCode).toMatch(/^\d{6}$/);
    expect(offerUri).not.toContain(txCode);
    const offer = await parseCredentialOfferUri(offerUri);
    expect(summarizeOffer(offer).txCode).toEqual({ length: 6, inputMode: "numeric", description: undefined });
    const { holder } = await makeHolder();
    const run = (pin?: string) => receiveError(receiveCredential({ offer, holder, fetch: h.fetch, ...(pin ? { txCode: pin } : {}) }));

    expect((await run()).code).toBe("ERR_TX_CODE_REQUIRED");
    expect(h.calls).toEqual([]);
    const wrong = txCode === "000000" ? "111111" : "000000";
    const first = await run(wrong);
    expect([first.code, first.attemptsLeft]).toEqual(["ERR_TX_CODE_WRONG", 2]);
    expect((await run(wrong)).attemptsLeft).toBe(1);
    expect((await run(wrong)).code).toBe("ERR_TX_CODE_LOCKED");
    expect((await run(txCode)).code).toBe("ERR_TX_CODE_LOCKED");
    expect(h.issued).toHaveLength(0);
  });

  it("accepts the right PIN, with a holder that gives only its DID and signer", async () => {
    const { offerUri, txCode } = await registerOffer({
      config: h.deps.config, store: h.store, id: "ent-pin-ok", expiresAt: new Date(h.clock.now.getTime() + 3600_000), txCodeLength: 6,
    });
    const { holder } = await makeHolder();
    const minimal = { did: holder.did, sign: holder.sign };
    const received = await receiveCredential({ offer: await parseCredentialOfferUri(offerUri), txCode, holder: minimal, fetch: h.fetch, now: () => h.clock.now });
    expect(received.credential.split(".")).toHaveLength(3);
  });

  it("tells an expired offer apart", async () => {
    const { offerUri } = await registerOffer({
      config: h.deps.config, store: h.store, id: "ent-exp", expiresAt: new Date(h.clock.now.getTime() + 60_000),
    });
    h.clock.now = new Date(h.clock.now.getTime() + 61_000);
    const { holder } = await makeHolder();
    const error = await receiveError(receiveCredential({ offer: await parseCredentialOfferUri(offerUri), holder, fetch: h.fetch }));
    expect(error.code).toBe("ERR_OFFER_EXPIRED");
  });

  it("reports a network failure and an issuer failure in plain words", async () => {
    const { offerUri } = await registerOffer({
      config: h.deps.config, store: h.store, id: "ent-net", expiresAt: new Date(h.clock.now.getTime() + 3600_000),
    });
    const offer = await parseCredentialOfferUri(offerUri);
    const { holder } = await makeHolder();
    const down: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    const net = await receiveError(receiveCredential({ offer, holder, fetch: down }));
    expect(net.code).toBe("ERR_NETWORK");
    expect(net.message).toMatch(/cannot be reached/);

    h.failIssuance.on = true;
    const issuer = await receiveError(receiveCredential({ offer, holder, fetch: h.fetch, now: () => h.clock.now }));
    expect(issuer.code).toBe("ERR_ISSUER");
  });

  it("rejects a credential that fails the wallet's verification", async () => {
    const { offerUri } = await registerOffer({
      config: h.deps.config, store: h.store, id: "ent-rej", expiresAt: new Date(h.clock.now.getTime() + 3600_000),
    });
    const { holder } = await makeHolder();
    const error = await receiveError(
      receiveCredential({
        offer: await parseCredentialOfferUri(offerUri), holder, fetch: h.fetch, now: () => h.clock.now,
        verifyCredential: async () => { throw new Error("ERR_ISSUER_UNTRUSTED"); },
      }),
    );
    expect(error.code).toBe("ERR_CREDENTIAL_REJECTED");
  });

  it("rejects a credential issued to another holder", async () => {
    const other = await makeHolder();
    const hh = await makeHarness({
      issueCredential: async (args) => (await makeHarness()).deps.issueCredential({ ...args, holderDid: other.holder.did }),
    });
    const { offerUri } = await registerOffer({
      config: hh.deps.config, store: hh.store, id: "ent-sub", expiresAt: new Date(hh.clock.now.getTime() + 3600_000),
    });
    const { holder } = await makeHolder();
    const error = await receiveError(receiveCredential({ offer: await parseCredentialOfferUri(offerUri), holder, fetch: hh.fetch, now: () => hh.clock.now }));
    expect(error.code).toBe("ERR_CREDENTIAL_REJECTED");
  });
});

describe("parseCredentialOfferUri", () => {
  it("reads the QR URI and the wallet link alike", async () => {
    const created = await createCredentialOffer({
      credentialIssuer: ISSUER_URL, preAuthorizedCode: "a".repeat(43), txCode: { length: 4, description: "PIN from the letter" }, walletUrl: WALLET,
    });
    const fromQr = await parseCredentialOfferUri(created.offerUri);
    const fromLink = await parseCredentialOfferUri(created.link);
    expect(fromQr).toEqual(created.offer);
    expect(fromLink).toEqual(created.offer);
    expect(summarizeOffer(fromQr)).toEqual({
      credentialIssuer: ISSUER_URL,
      credentialConfigurationIds: ["EntitlementCredential_jwt_vc_json"],
      txCode: { length: 4, inputMode: "numeric", description: "PIN from the letter" },
    });
  });

  it("loads an offer by reference, and says so when the network is down", async () => {
    const created = await createCredentialOffer({ config: { credentialIssuer: ISSUER_URL }, preAuthorizedCode: "b".repeat(43) });
    const served: typeof fetch = async (input) =>
      String(input) === `${ISSUER_URL}/offers/42`
        ? new Response(JSON.stringify(created.offer), { headers: { "content-type": "application/json" } })
        : new Response("nope", { status: 404 });
    const byRef = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`${ISSUER_URL}/offers/42`)}`;
    expect(await parseCredentialOfferUri(byRef, { fetch: served })).toEqual(created.offer);
    const gone = `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(`${ISSUER_URL}/offers/43`)}`;
    expect((await receiveError(parseCredentialOfferUri(gone, { fetch: served }))).code).toBe("ERR_OFFER_INVALID");
    const down: typeof fetch = () => Promise.reject(new TypeError("Failed to fetch"));
    expect((await receiveError(parseCredentialOfferUri(byRef, { fetch: down }))).code).toBe("ERR_NETWORK");
  });

  it.each([
    ["plain text", "hello"],
    ["a Haki proof QR", "HC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDE"],
    ["broken JSON", "openid-credential-offer://?credential_offer=%7B%22credential_issuer"],
    ["truncated offer", `openid-credential-offer://?credential_offer=${encodeURIComponent('{"credential_issuer":"https://x.example"}')}`],
    ["http issuer", `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify({ credential_issuer: "http://x.example", credential_configuration_ids: ["a"], grants: { "urn:ietf:params:oauth:grant-type:pre-authorized_code": { "pre-authorized_code": "x" } } }))}`],
    ["no pre-authorised grant", `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify({ credential_issuer: "https://x.example", credential_configuration_ids: ["a"], grants: { authorization_code: { issuer_state: "s" } } }))}`],
  ])("refuses %s with ERR_OFFER_INVALID", async (_name, text) => {
    expect((await receiveError(parseCredentialOfferUri(text))).code).toBe("ERR_OFFER_INVALID");
  });
});
