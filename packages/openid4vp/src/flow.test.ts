/**
 * Haki's wallet answering Haki's verifier through the relay: request by reference (QR) and by
 * value (same-device link), encrypted answer, the relay holding only ciphertext, and every refusal.
 */
import { DEMO_SUBJECT } from "@haki/credentials/testing";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { JWT_VC_JSON, jwtVcJsonVerifier, jwtVcJsonWallet } from "./formats/jwt-vc-json";
import { MemoryRelayStore } from "./memory-relay-store";
import { benefitAndNameQuery, enrolmentQuery } from "./queries";
import { answerForm, createRelay, type Relay } from "./relay";
import { TEST_NOW, useTestParties } from "./lib/test-setup";
import { makeTestParties, relayFetch, type TestParties } from "./testing";
import { createPresentationRequest, receivePresentationResponse, type PresentationRequest } from "./verifier";
import { claimsBeyondConsent, createPresentationAnswer, declinePresentationRequest, planPresentation, readPresentationRequest, submitPresentationAnswer } from "./wallet";

const NOW = TEST_NOW;
const BASE = "https://issuer.test/api/openid4vp";
let parties: TestParties;
let store: MemoryRelayStore;
let relay: Relay;
let seen: { bodies: string[] };
let fetch: typeof globalThis.fetch;

const testParties = useTestParties();
beforeAll(() => {
  parties = testParties();
});
beforeEach(() => {
  store = new MemoryRelayStore();
  relay = createRelay(store, { baseUrl: BASE });
  seen = { bodies: [] };
  fetch = relayFetch(relay, BASE, seen);
});

/** What the verifier PWA does: open a relay request, sign the DCQL request, publish it, show the QR. */
async function verifierAsks(query = enrolmentQuery("cash-for-work")): Promise<PresentationRequest & { transactionId: string; requestId: string }> {
  const opened = await relay.openRequest();
  const made = await createPresentationRequest({
    query,
    signer: parties.device,
    responseUri: opened.responseUri,
    requestUri: opened.requestUri,
    clientName: "Mama Mboga shop",
  });
  const kid = (made.session.request.client_metadata?.jwks?.keys[0] as { kid?: string }).kid;
  await relay.publishRequestObject(opened.requestId, opened.transactionId, made.requestObject, kid);
  return { ...made, transactionId: opened.transactionId, requestId: opened.requestId };
}

const holderWallet = () => [jwtVcJsonWallet(parties.holder)];
const counter = () => [jwtVcJsonVerifier(parties.trust)];
const everything = (plan: { credentials: Array<{ disclosed: Array<{ path: Array<string | number | null> }> }> }) =>
  plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path));

describe("Haki wallet <-> Haki verifier, through the relay", () => {
  it("QR (by reference): the wallet sees who asks and what it shares; the verifier gets a verified card", async () => {
    const asked = await verifierAsks();
    expect(asked.crossDeviceUri).toMatch(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Akey%3A.*&request_uri=https%3A%2F%2Fissuer\.test/);
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    expect(request.verifier).toMatchObject({
      clientId: `decentralized_identifier:${parties.device.did}`,
      authentication: "signed-by-did",
      name: "Mama Mboga shop",
      responseHost: "issuer.test",
      encrypted: true,
    });
    expect(request.verifier.statement).toMatch(/signed by did:key:/);
    const plan = planPresentation(request, [parties.card], holderWallet());
    expect(plan.credentials).toHaveLength(1);
    const [entry] = plan.credentials;
    expect(entry!.requested).toEqual([["credentialSubject", "programme", "id"]]);
    // A VC-JWT cannot hide claims: the name and the amount go too, and the plan says so.
    expect(entry!.beyondRequest.map((c) => c.path.join("."))).toEqual(expect.arrayContaining(["credentialSubject.name", "credentialSubject.benefit.amount"]));
    const answer = await createPresentationAnswer(plan, holderWallet(), { agreed: everything(plan) });
    await submitPresentationAnswer(answer, { fetch });

    const collected = await relay.collectAnswer(asked.requestId, asked.transactionId);
    expect(collected.status).toBe("answered");
    if (collected.status !== "answered") return;
    const received = await receivePresentationResponse(answerForm(collected.answer), asked.session, counter());
    expect(received.answered).toEqual(["entitlement"]);
    expect(received.presentations[0]).toMatchObject({ queryId: "entitlement", format: JWT_VC_JSON, issuer: { id: "did:web:haki.example.org" } });
    expect((received.presentations[0]!.dcql as unknown as { claims: { credentialSubject: { name: string } } }).claims.credentialSubject.name).toBe("Amina Wanjiru");
  });

  it("the relay only ever holds ciphertext: no claim, no credential, no key in what it stored or saw", async () => {
    const asked = await verifierAsks(benefitAndNameQuery("cash-for-work"));
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    const plan = planPresentation(request, [parties.card], holderWallet());
    await submitPresentationAnswer(await createPresentationAnswer(plan, holderWallet(), { agreed: everything(plan) }), { fetch });
    const stored = JSON.stringify([...store.records.values()]);
    const posted = seen.bodies.join("\n");
    for (const secret of ["Amina", "Wanjiru", "2500", "KES", "BEN-7Q2X9K", parties.card.credential.split(".")[1]!, parties.holder.did, asked.session.decryptionKey.d!]) {
      expect(stored).not.toContain(secret);
      expect(posted).not.toContain(secret);
    }
    const record = [...store.records.values()][0]!;
    expect(record.answer?.kind).toBe("jwe");
    expect(Object.keys(record).sort()).toEqual(["answer", "encryptionKid", "expiresAt", "requestId", "requestObject", "transactionHash"]);
    // Without the device's key, the ciphertext is useless: another session's key cannot open it.
    const other = await verifierAsks();
    await expect(receivePresentationResponse(answerForm(record.answer!), { ...other.session, state: asked.session.state }, counter())).rejects.toMatchObject({
      code: "ERR_VP_RESPONSE_UNDECRYPTABLE",
    });
  });

  it("same-device link (request by value) works without the relay serving the request", async () => {
    const asked = await verifierAsks();
    const request = await readPresentationRequest(asked.sameDeviceUri, { fetch: () => Promise.reject(new Error("no network needed")) });
    const plan = planPresentation(request, [parties.card], holderWallet());
    const answer = await createPresentationAnswer(plan, holderWallet(), { agreed: everything(plan) });
    const received = await receivePresentationResponse(answer.body, asked.session, counter());
    expect(received.presentations).toHaveLength(1);
  });

  it("the answer is handed over once; a second post or collect is refused", async () => {
    const asked = await verifierAsks();
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    const plan = planPresentation(request, [parties.card], holderWallet());
    const answer = await createPresentationAnswer(plan, holderWallet(), { agreed: everything(plan) });
    expect(await relay.collectAnswer(asked.requestId, asked.transactionId)).toEqual({ status: "pending" });
    await submitPresentationAnswer(answer, { fetch });
    await expect(submitPresentationAnswer(answer, { fetch })).rejects.toMatchObject({ code: "ERR_VP_SUBMIT_FAILED", message: /HTTP 409/ });
    await expect(relay.collectAnswer(asked.requestId, "not-the-transaction-id")).rejects.toMatchObject({ code: "ERR_RELAY_FORBIDDEN" });
    expect((await relay.collectAnswer(asked.requestId, asked.transactionId)).status).toBe("answered");
    await expect(relay.collectAnswer(asked.requestId, asked.transactionId)).rejects.toMatchObject({ code: "ERR_RELAY_UNKNOWN_REQUEST" });
  });
});

describe("the wallet refuses", () => {
  it("a request asking more than the person agreed to: nothing is built or sent", async () => {
    const asked = await verifierAsks(benefitAndNameQuery());
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    const plan = planPresentation(request, [parties.card], holderWallet());
    const agreed = [["credentialSubject", "programme"], ["credentialSubject", "benefit"]];
    expect(claimsBeyondConsent(plan, agreed).map((c) => c.path.join("."))).toContain("credentialSubject.name");
    await expect(createPresentationAnswer(plan, holderWallet(), { agreed })).rejects.toMatchObject({
      code: "ERR_VP_CONSENT_EXCEEDED",
      claims: expect.arrayContaining([["credentialSubject", "name"]]),
    });
    expect(seen.bodies).toEqual([]);
  });

  it("when no card answers (another programme), and says so", async () => {
    const asked = await verifierAsks(enrolmentQuery("food-for-assets"));
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    expect(() => planPresentation(request, [parties.card], holderWallet())).toThrow(expect.objectContaining({ code: "ERR_VP_NO_MATCH" }));
  });

  it("a request object whose signature does not match its client id", async () => {
    const asked = await verifierAsks();
    const [h, p, s] = asked.requestObject.split(".");
    const payload = JSON.parse(Buffer.from(p!, "base64url").toString());
    payload.client_metadata.client_name = "Bank of Nowhere";
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    const link = `openid4vp://?client_id=${encodeURIComponent(asked.session.clientId)}&request=${forged}`;
    await expect(readPresentationRequest(link)).rejects.toMatchObject({ code: "ERR_VP_CLIENT_UNTRUSTED" });
  });

  it("a client id prefix it cannot check (x509), and an unknown pre-registered client", async () => {
    const q = encodeURIComponent(JSON.stringify(enrolmentQuery("cash-for-work")));
    const x509 = `openid4vp://?client_id=x509_san_dns%3Averifier.example&response_type=vp_token&response_mode=direct_post&response_uri=https%3A%2F%2Fverifier.example%2Fr&nonce=n-0S6_WzA2Mj&dcql_query=${q}`;
    await expect(readPresentationRequest(x509)).rejects.toMatchObject({ code: expect.stringMatching(/ERR_VP_CLIENT_(UNSUPPORTED|UNTRUSTED)/) });
    const pre = `openid4vp://?client_id=some-shop&response_type=vp_token&response_mode=direct_post&response_uri=https%3A%2F%2Fverifier.example%2Fr&nonce=n-0S6_WzA2Mj&dcql_query=${q}`;
    await expect(readPresentationRequest(pre)).rejects.toMatchObject({ code: "ERR_VP_CLIENT_UNTRUSTED" });
    await expect(readPresentationRequest(pre, { preRegistered: { "some-shop": "Some Shop" } })).resolves.toMatchObject({
      verifier: { authentication: "pre-registered", knownAs: "Some Shop", encrypted: false },
    });
  });

  it("a request it cannot fetch, or that is not a request", async () => {
    const asked = await verifierAsks();
    await expect(readPresentationRequest(asked.crossDeviceUri!, { fetch: () => Promise.reject(new Error("offline")) })).rejects.toMatchObject({
      code: "ERR_VP_REQUEST_UNREACHABLE",
    });
    await expect(readPresentationRequest("HK1:NOTAREQUEST")).rejects.toMatchObject({ code: "ERR_VP_REQUEST_INVALID" });
    await expect(readPresentationRequest("openid4vp://?client_id=x")).rejects.toMatchObject({ code: "ERR_VP_REQUEST_INVALID" });
  });
});

describe("the verifier refuses", () => {
  async function answered(query = enrolmentQuery("cash-for-work")) {
    const asked = await verifierAsks(query);
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    const plan = planPresentation(request, [parties.card], holderWallet());
    return { asked, request, plan, answer: await createPresentationAnswer(plan, holderWallet(), { agreed: everything(plan) }) };
  }

  it("an answer for another request (state), or after the request expired", async () => {
    const { asked, answer } = await answered();
    await expect(receivePresentationResponse(answer.body, { ...asked.session, state: "another-state-value" }, counter())).rejects.toMatchObject({
      code: "ERR_VP_STATE_MISMATCH",
    });
    await expect(receivePresentationResponse(answer.body, asked.session, counter(), { now: new Date(NOW.getTime() + 301_000) })).rejects.toMatchObject({
      code: "ERR_VP_REQUEST_EXPIRED",
    });
  });

  it("a presentation made for another verifier (nonce and audience)", async () => {
    const { asked, request, plan } = await answered();
    const other = await verifierAsks();
    // The wallet answers the first request's verifier, with a presentation bound to another request.
    const misbound = await createPresentationAnswer(
      { ...plan, request: { ...request, payload: { ...request.payload, nonce: other.session.nonce } } },
      holderWallet(),
      { agreed: everything(plan) },
    );
    await expect(receivePresentationResponse(misbound.body, asked.session, counter())).rejects.toMatchObject({ code: "ERR_VP_PRESENTATION_INVALID" });
  });

  it("an answer in the clear, a declined request, and a card from an untrusted issuer", async () => {
    const { asked } = await answered();
    await expect(receivePresentationResponse({ vp_token: "{}", state: asked.session.state }, asked.session, counter())).rejects.toMatchObject({
      code: "ERR_VP_RESPONSE_INVALID",
    });
    const declined = await verifierAsks();
    const request = await readPresentationRequest(declined.crossDeviceUri!, { fetch });
    await declinePresentationRequest(request, { fetch });
    const got = await relay.collectAnswer(declined.requestId, declined.transactionId);
    expect(got).toEqual({ status: "answered", answer: { kind: "error", error: "access_denied", state: declined.session.state } });
    if (got.status === "answered") {
      await expect(receivePresentationResponse(answerForm(got.answer), declined.session, counter())).rejects.toMatchObject({
        message: "The person declined to share.",
      });
    }
    const stranger = await makeTestParties();
    const { asked: a2, answer } = await answered();
    await expect(receivePresentationResponse(answer.body, a2.session, [jwtVcJsonVerifier(stranger.trust)])).rejects.toMatchObject({
      code: "ERR_VP_PRESENTATION_INVALID",
      message: expect.stringContaining("(ERR_SIGNATURE_INVALID)"), // same issuer DID, another key
    });
  });
});

describe("VC 2.0 (vc+jwt, the default of new cycles) and VC 1.1 cards, both as jwt_vc_json", () => {
  it("a vc+jwt signed by the issuer's code matches the enrolment query, is presented as a vp+jwt and verifies", async () => {
    const card = await parties.issueCard({}, { format: "vc2" });
    expect(JSON.parse(Buffer.from(card.credential.split(".")[0]!, "base64url").toString())).toMatchObject({ typ: "vc+jwt" });
    const asked = await verifierAsks();
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    const plan = planPresentation(request, [card], holderWallet());
    expect(plan.credentials.map((c) => c.credential.id)).toEqual([card.id]);
    // The whole credential is disclosed (a vc+jwt cannot hide claims), as its VC 2.0 JSON.
    const disclosed = plan.credentials[0]!.disclosed.map((c) => c.path.join("."));
    expect(disclosed).toEqual(expect.arrayContaining(["credentialSubject.name", "credentialSubject.benefit.amount", "validUntil"]));
    expect(disclosed).not.toContain("vc.credentialSubject.name");
    const answer = await createPresentationAnswer(plan, holderWallet(), { agreed: everything(plan) });
    await submitPresentationAnswer(answer, { fetch });
    const collected = await relay.collectAnswer(asked.requestId, asked.transactionId);
    if (collected.status !== "answered") throw new Error("no answer");
    const received = await receivePresentationResponse(answerForm(collected.answer), asked.session, counter());
    const [presented] = received.presentations;
    expect(presented).toMatchObject({ queryId: "entitlement", format: JWT_VC_JSON, issuer: { id: "did:web:haki.example.org" } });
    expect(presented!.result).toMatchObject({ valid: true, format: "vc2" });
    expect((presented!.dcql as unknown as { claims: { credentialSubject: { programme: { id: string } } } }).claims.credentialSubject.programme.id).toBe("cash-for-work");
  });

  it("the wallet holding a VC 1.1 and a VC 2.0 card offers both, and either verifies", async () => {
    const vc1 = await parties.issueCard();
    const vc2 = await parties.issueCard({}, { format: "vc2" });
    for (const chosen of [vc1, vc2]) {
      const asked = await verifierAsks(benefitAndNameQuery("cash-for-work"));
      const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
      const plan = planPresentation(request, [vc1, vc2], holderWallet());
      expect([plan.credentials[0]!.credential.id, ...plan.credentials[0]!.alternatives].sort()).toEqual([vc1.id, vc2.id].sort());
      const picked = { ...plan, credentials: [{ ...plan.credentials[0]!, credential: chosen }] };
      const answer = await createPresentationAnswer(picked, holderWallet(), { agreed: everything(plan) });
      const received = await receivePresentationResponse(answer.body, asked.session, counter());
      expect((received.presentations[0]!.dcql as unknown as { claims: { credentialSubject: { name: string } } }).claims.credentialSubject.name).toBe("Amina Wanjiru");
    }
  });

  it("a vc+jwt for another programme does not match", async () => {
    const other = await parties.issueCard({ subject: { ...DEMO_SUBJECT, programme: { id: "food-for-assets", name: "Food for Assets" } } }, { format: "vc2" });
    const asked = await verifierAsks();
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    expect(() => planPresentation(request, [other], holderWallet())).toThrow(expect.objectContaining({ code: "ERR_VP_NO_MATCH" }));
  });
});
