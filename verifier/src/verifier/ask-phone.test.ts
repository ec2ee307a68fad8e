import "fake-indexeddb/auto";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { jwtVcJsonWallet } from "@haki/openid4vp/formats/jwt-vc-json";
import { createPresentationAnswer, declinePresentationRequest, planPresentation, readPresentationRequest, submitPresentationAnswer } from "@haki/openid4vp/wallet";
import { encodeSetupCode } from "@haki/redemption/setup";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createFakeIssuer, fetchVia, type FakeIssuer } from "../../e2e/fake-issuer";
import { openVerifierDb, type VerifierDb } from "../storage/db";
import { checkPhoneAnswer, openPhoneRequest, pollPhoneAnswer, type PhoneRequest } from "./ask-phone";
import { enrolDevice } from "./enrol";

const NOW = new Date("2027-03-10T09:00:00Z");
let dbn = 0;

describe("Ask a phone: the verifier's OpenID4VP request through the relay", () => {
  let issuer: FakeIssuer;
  let fetch: ReturnType<typeof fetchVia>;
  let db: VerifierDb;
  let holder: HakiKeyPair;

  beforeAll(async () => {
    vi.useFakeTimers({ now: NOW, toFake: ["Date"] });
    issuer = await createFakeIssuer("https://issuer.test", { now: NOW, clock: () => new Date() });
    fetch = fetchVia(issuer);
    db = await openVerifierDb(`ask-phone-${dbn++}`);
    await enrolDevice({ db, setupText: encodeSetupCode(issuer.world.setup), fetch, now: () => Date.now() });
    holder = await generateKeyPair();
  });
  afterAll(() => vi.useRealTimers());

  /** A Haki wallet holding `card` answers, agreeing to everything it would disclose. */
  async function walletAnswers(asked: PhoneRequest, card: string): Promise<void> {
    const request = await readPresentationRequest(asked.crossDeviceUri, { fetch: fetch as typeof globalThis.fetch });
    expect(request.verifier).toMatchObject({ name: "Kibera Market Shop", authentication: "signed-by-did", encrypted: true });
    const formats = [jwtVcJsonWallet(holder)];
    const plan = planPresentation(request, [{ id: "c1", format: "jwt_vc_json", credential: card }], formats);
    const answer = await createPresentationAnswer(plan, formats, { agreed: plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path)) });
    await submitPresentationAnswer(answer, { fetch: fetch as typeof globalThis.fetch });
  }

  it("enrolment preset: green with the programme only; no name or amount reach the counter", async () => {
    const asked = await openPhoneRequest({ db, preset: "enrolment", programmeId: "cash-transfer", fetch });
    expect(asked.crossDeviceUri).toMatch(/^openid4vp:\/\/\?client_id=decentralized_identifier%3Adid%3Akey%3A/);
    expect(await pollPhoneAnswer(asked, fetch)).toBeUndefined();
    await walletAnswers(asked, await issuer.world.issue({ index: 3, holder }));
    // The relay held a JWE and nothing readable.
    const held = [...issuer.state.relay.records.values()];
    expect(held[0]?.answer?.kind).toBe("jwe");
    expect(JSON.stringify(held)).not.toContain("Amina");
    const answer = await pollPhoneAnswer(asked, fetch);
    expect(answer?.kind).toBe("jwe");
    const result = await checkPhoneAnswer(answer!, asked, db, new Date());
    expect(result).toEqual({ outcome: "green", preset: "enrolment", programme: "Cash Transfer", issuer: expect.any(String), validUntil: expect.any(String) });
    // Handed over once.
    await expect(pollPhoneAnswer(asked, fetch)).rejects.toMatchObject({ status: 404 });
  });

  it("benefit-and-name preset: green with the name and the benefit", async () => {
    const asked = await openPhoneRequest({ db, preset: "benefit-and-name", programmeId: "cash-transfer", fetch });
    await walletAnswers(asked, await issuer.world.issue({ index: 4, holder }));
    const result = await checkPhoneAnswer((await pollPhoneAnswer(asked, fetch))!, asked, db, new Date());
    expect(result).toMatchObject({ outcome: "green", name: "Amina Njoroge", benefit: expect.objectContaining({ amount: 3000 }) });
  });

  it("a cancelled card is red with the counter's own reason, checked against the device's status lists", async () => {
    issuer.world.revoked.add(9);
    const { refreshAll } = await import("./refresh");
    await refreshAll({ db, fetch, now: () => Date.now() });
    const asked = await openPhoneRequest({ db, preset: "enrolment", programmeId: "cash-transfer", fetch });
    await walletAnswers(asked, await issuer.world.issue({ index: 9, holder }));
    expect(await checkPhoneAnswer((await pollPhoneAnswer(asked, fetch))!, asked, db, new Date())).toMatchObject({ outcome: "red", reasonKey: "reason.ERR_CREDENTIAL_REVOKED" });
  });

  it("a person who declines is red 'declined'; an answer for another request is refused", async () => {
    const asked = await openPhoneRequest({ db, preset: "enrolment", programmeId: "cash-transfer", fetch });
    const request = await readPresentationRequest(asked.crossDeviceUri, { fetch: fetch as typeof globalThis.fetch });
    await declinePresentationRequest(request, { fetch: fetch as typeof globalThis.fetch });
    expect(await checkPhoneAnswer((await pollPhoneAnswer(asked, fetch))!, asked, db, new Date())).toMatchObject({ outcome: "red", reasonKey: "phone.reason.declined" });

    const first = await openPhoneRequest({ db, preset: "enrolment", programmeId: "cash-transfer", fetch });
    const second = await openPhoneRequest({ db, preset: "enrolment", programmeId: "cash-transfer", fetch });
    await walletAnswers(first, await issuer.world.issue({ index: 5, holder }));
    const answer = (await pollPhoneAnswer(first, fetch))!;
    expect(await checkPhoneAnswer(answer, second, db, new Date())).toMatchObject({ outcome: "red", reasonKey: "phone.reason.invalid" });
  });

  it("a VC 2.0 card (vc+jwt, new cycles): green for both presets, and red when it was cancelled", async () => {
    const asked = await openPhoneRequest({ db, preset: "benefit-and-name", programmeId: "cash-transfer", fetch });
    await walletAnswers(asked, await issuer.world.issue({ index: 11, holder, format: "vc2" }));
    expect(await checkPhoneAnswer((await pollPhoneAnswer(asked, fetch))!, asked, db, new Date())).toMatchObject({
      outcome: "green",
      programme: "Cash Transfer",
      name: "Amina Njoroge",
      benefit: expect.objectContaining({ amount: 3000 }),
    });
    issuer.world.revoked.add(12);
    const { refreshAll } = await import("./refresh");
    await refreshAll({ db, fetch, now: () => Date.now() });
    const again = await openPhoneRequest({ db, preset: "enrolment", programmeId: "cash-transfer", fetch });
    await walletAnswers(again, await issuer.world.issue({ index: 12, holder, format: "vc2" }));
    expect(await checkPhoneAnswer((await pollPhoneAnswer(again, fetch))!, again, db, new Date())).toMatchObject({ outcome: "red", reasonKey: "reason.ERR_CREDENTIAL_REVOKED" });
  });

  it("only an enrolled device can open a request at the relay", async () => {
    const stranger = await openVerifierDb(`ask-phone-${dbn++}`);
    await expect(openPhoneRequest({ db: stranger, preset: "enrolment", programmeId: "cash-transfer", fetch })).rejects.toMatchObject({ code: "ERR_NOT_ENROLLED" });
  });
});
