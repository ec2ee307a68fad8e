import "fake-indexeddb/auto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { signCredential } from "@haki/credentials/sign";
import { issueSdJwtVc } from "@haki/credentials/sd-jwt";
import { createDemoIssuer, demoEntitlementInput, DEMO_ISSUER_URL, DEMO_SUBJECT } from "@haki/credentials/testing";
import { sdJwtVcVerifier } from "@haki/openid4vp/formats/dc-sd-jwt";
import type { TrustList } from "@haki/credentials/trust";
import { jwtVcJsonVerifier } from "@haki/openid4vp/formats/jwt-vc-json";
import { MemoryRelayStore } from "@haki/openid4vp/memory-relay-store";
import { benefitAndNameQuery, enrolmentQuery } from "@haki/openid4vp/queries";
import { answerForm, createRelay, type Relay } from "@haki/openid4vp/relay";
import { relayFetch } from "@haki/openid4vp/testing";
import { createPresentationRequest, receivePresentationResponse } from "@haki/openid4vp/verifier";
import { MIN_PBKDF2_ITERATIONS } from "@haki/secure-store/crypto";
import { openWalletDb, type WalletDb } from "../storage/db";
import { createProfile, type Session } from "../storage/profiles";
import { listRecords, putRecord } from "../storage/records";
import { createHolderKey } from "./holder-key";
import { HistoryEvent, type StoredCredential } from "./schemas";
import { claimGroup, declineShare, isPresentationRequest, planShare, shareAnswer } from "./share";

const BASE = "https://issuer.test/api/openid4vp";
const NOW = new Date("2027-03-15T09:00:00Z");

describe("the wallet answers a service's OpenID4VP request", () => {
  let db: WalletDb;
  let s: Session;
  let trust: TrustList;
  let device: HakiKeyPair;
  let store: MemoryRelayStore;
  let relay: Relay;
  let fetch: typeof globalThis.fetch;

  beforeAll(async () => {
    vi.useFakeTimers({ now: NOW, toFake: ["Date"] });
    db = await openWalletDb(`share-${Math.random()}`);
    s = await createProfile(db, { label: "Amina", pin: "482913" }, { iterations: MIN_PBKDF2_ITERATIONS });
    const key = await createHolderKey(db, s);
    const issuer = await createDemoIssuer();
    trust = issuer.trust;
    device = await generateKeyPair();
    const jwt = await signCredential(demoEntitlementInput({ holder: key.did }), issuer.key);
    await putRecord(db, s, "credential", "c1", { jwt, receivedAt: NOW.toISOString() } satisfies StoredCredential);
  });
  afterAll(() => vi.useRealTimers());

  async function ask(query = enrolmentQuery("cash-for-work")) {
    store = new MemoryRelayStore();
    relay = createRelay(store, { baseUrl: BASE });
    fetch = relayFetch(relay, BASE);
    const opened = await relay.openRequest();
    const made = await createPresentationRequest({ query, signer: device, responseUri: opened.responseUri, requestUri: opened.requestUri, clientName: "Mama Mboga shop" });
    const kid = (made.session.request.client_metadata?.jwks?.keys[0] as { kid?: string }).kid;
    await relay.publishRequestObject(opened.requestId, opened.transactionId, made.requestObject, kid);
    return { ...made, opened };
  }

  it("recognises requests by scheme and by a link carrying the request parameters", () => {
    expect(isPresentationRequest("openid4vp://?client_id=x&request_uri=https%3A%2F%2Fa")).toBe(true);
    expect(isPresentationRequest("https://wallet.example/?client_id=x&request=eyJ")).toBe(true);
    expect(isPresentationRequest("openid-credential-offer://?credential_offer_uri=x")).toBe(false);
    expect(isPresentationRequest("HK1:abc")).toBe(false);
  });

  it("says who asks and exactly what would be shared: asked first, then what a VC-JWT cannot hide", async () => {
    const asked = await ask();
    const plan = await planShare(db, s, asked.crossDeviceUri!, { fetch });
    expect(plan.request.verifier).toMatchObject({ name: "Mama Mboga shop", authentication: "signed-by-did", responseHost: "issuer.test", encrypted: true });
    const [entry] = plan.credentials;
    expect(entry!.requested).toEqual([["credentialSubject", "programme", "id"]]);
    const beyond = new Set(entry!.beyondRequest.map((c) => claimGroup(c.path)));
    expect(beyond).toEqual(new Set(["name", "benefit", "area", "cycle", "reference", "holder", "card", "programme"]));
  });

  it("shares the whole card only when everything shown was agreed; the service verifies it", async () => {
    const asked = await ask(benefitAndNameQuery("cash-for-work"));
    const plan = await planShare(db, s, asked.crossDeviceUri!, { fetch });
    const everything = plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path));
    await shareAnswer(db, s, plan, { agreed: everything }, { fetch });
    const got = await relay.collectAnswer(asked.opened.requestId, asked.opened.transactionId);
    if (got.status !== "answered") throw new Error("no answer");
    const received = await receivePresentationResponse(answerForm(got.answer), asked.session, [jwtVcJsonVerifier(trust)]);
    expect(received.answered).toEqual(["entitlement"]);
    const { items } = await listRecords(db, s, "history", HistoryEvent);
    expect(items.map((i) => i.value)).toContainEqual(expect.objectContaining({ event: "presented", credentialId: "c1", label: "Mama Mboga shop" }));
  });

  it("refuses, and sends nothing, when the request would show more than the person agreed to", async () => {
    const asked = await ask();
    const plan = await planShare(db, s, asked.crossDeviceUri!, { fetch });
    // Only what was asked (the programme): the name and amount the card would also show were not agreed.
    const onlyAsked = plan.credentials.flatMap((c) => c.requested ?? []);
    await expect(shareAnswer(db, s, plan, { agreed: onlyAsked }, { fetch })).rejects.toMatchObject({ code: "ERR_VP_CONSENT_EXCEEDED" });
    expect([...store.records.values()][0]?.answer).toBeUndefined();
  });

  it("declining sends only access_denied", async () => {
    const asked = await ask();
    const plan = await planShare(db, s, asked.crossDeviceUri!, { fetch });
    await declineShare(plan.request, { fetch });
    expect([...store.records.values()][0]?.answer).toEqual({ kind: "error", error: "access_denied", state: asked.session.state });
  });

  it("a request no card answers is ERR_VP_NO_MATCH", async () => {
    const asked = await ask(enrolmentQuery("another-programme"));
    await expect(planShare(db, s, asked.crossDeviceUri!, { fetch })).rejects.toMatchObject({ code: "ERR_VP_NO_MATCH" });
  });

  it("a profile holding a VC 2.0 card (vc+jwt, the default of new cycles) answers, and the service verifies a vp+jwt", async () => {
    const s2 = await createProfile(db, { label: "Baraka", pin: "739164" }, { iterations: MIN_PBKDF2_ITERATIONS });
    const key = await createHolderKey(db, s2);
    const issuer = await createDemoIssuer();
    const jwt = await signCredential(demoEntitlementInput({ holder: key.did }), issuer.key, { format: "vc2" });
    await putRecord(db, s2, "credential", "v2", { jwt, receivedAt: NOW.toISOString() } satisfies StoredCredential);
    const asked = await ask();
    const plan = await planShare(db, s2, asked.crossDeviceUri!, { fetch });
    expect(plan.credentials.map((c) => [c.credential.id, c.format])).toEqual([["v2", "jwt_vc_json"]]);
    await shareAnswer(db, s2, plan, { agreed: plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path)) }, { fetch });
    const got = await relay.collectAnswer(asked.opened.requestId, asked.opened.transactionId);
    if (got.status !== "answered") throw new Error("no answer");
    const received = await receivePresentationResponse(answerForm(got.answer), asked.session, [jwtVcJsonVerifier(issuer.trust)]);
    expect(received.presentations[0]!.result).toMatchObject({ valid: true, format: "vc2", subject: { programme: { id: "cash-for-work" } } });
  });

  it("a profile holding an SD-JWT VC answers a dc+sd-jwt request with the programme only; name and amount stay on the phone", async () => {
    const s3 = await createProfile(db, { label: "Chebet", pin: "615283" }, { iterations: MIN_PBKDF2_ITERATIONS });
    const key = await createHolderKey(db, s3);
    const issuer = await createDemoIssuer();
    const jwt = await issueSdJwtVc(
      { issuerUrl: DEMO_ISSUER_URL, holder: key.did, subject: DEMO_SUBJECT, validFrom: "2027-03-01", validUntil: "2027-04-01", status: { uri: `${DEMO_ISSUER_URL}/status/1/token`, index: 42 } },
      issuer.key,
    );
    await putRecord(db, s3, "credential", "sd", { jwt, receivedAt: NOW.toISOString() } satisfies StoredCredential);
    const asked = await ask(enrolmentQuery("cash-for-work", "dc+sd-jwt"));
    const plan = await planShare(db, s3, asked.crossDeviceUri!, { fetch });
    const [entry] = plan.credentials;
    expect(entry).toMatchObject({ format: "dc+sd-jwt", requested: [["programme", "id"]] });
    const groups = new Set(entry!.disclosed.map((c) => claimGroup(c.path)));
    expect(groups.has("name") || groups.has("area") || groups.has("cycle")).toBe(false);
    expect(entry!.disclosed.some((c) => c.path[0] === "benefit")).toBe(false);
    await shareAnswer(db, s3, plan, { agreed: entry!.disclosed.map((d) => d.path) }, { fetch });
    const got = await relay.collectAnswer(asked.opened.requestId, asked.opened.transactionId);
    if (got.status !== "answered") throw new Error("no answer");
    const received = await receivePresentationResponse(answerForm(got.answer), asked.session, [sdJwtVcVerifier(issuer.trust)]);
    expect(received.presentations[0]!.result).toMatchObject({ valid: true, format: "dc+sd-jwt", disclosed: ["programme"], holderBinding: "verified" });
  });
});
