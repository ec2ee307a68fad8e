import "fake-indexeddb/auto";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { sdJwtVcWallet } from "@haki/openid4vp/formats/dc-sd-jwt";
import type { WalletFormat } from "@haki/openid4vp/formats";
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

  /**
   * A Haki wallet holding `card` answers, agreeing to everything it would disclose; returns what it
   * sent. `tamper` changes its SD-JWT VC presentations (for the refusal tests).
   */
  async function walletAnswers(asked: PhoneRequest, card: string, tamper: (f: WalletFormat) => WalletFormat = (f) => f): Promise<string[]> {
    const request = await readPresentationRequest(asked.crossDeviceUri, { fetch: fetch as typeof globalThis.fetch });
    expect(request.verifier).toMatchObject({ name: "Kibera Market Shop", authentication: "signed-by-did", encrypted: true });
    const formats = [jwtVcJsonWallet(holder), tamper(sdJwtVcWallet(holder))];
    const format = card.includes("~") ? "dc+sd-jwt" : "jwt_vc_json";
    const plan = planPresentation(request, [{ id: "c1", format, credential: card }], formats);
    const answer = await createPresentationAnswer(plan, formats, { agreed: plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path)) });
    await submitPresentationAnswer(answer, { fetch: fetch as typeof globalThis.fetch });
    return Object.values(answer.vpToken).flat() as string[];
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

  describe("an SD-JWT VC (dc+sd-jwt), when the request asks for that format", () => {
    const names = (shown: string) => shown.split("~").slice(1, -1).map((d) => (JSON.parse(Buffer.from(d, "base64url").toString()) as unknown[])[1]);
    const ask = (preset: "enrolment" | "benefit-and-name" = "enrolment") => openPhoneRequest({ db, preset, programmeId: "cash-transfer", fetch, format: "dc+sd-jwt" });
    const check = async (asked: PhoneRequest) => checkPhoneAnswer((await pollPhoneAnswer(asked, fetch))!, asked, db, new Date());

    it("enrolment: the phone discloses only the programme, and the counter is green with the programme", async () => {
      const asked = await ask();
      const [shown] = await walletAnswers(asked, await issuer.world.issue({ index: 21, holder, format: "dc+sd-jwt" }));
      expect(names(shown!)).toEqual(["programme"]);
      expect(await check(asked)).toEqual({ outcome: "green", preset: "enrolment", programme: "Cash Transfer", issuer: expect.any(String), validUntil: expect.any(String) });
    });

    it("benefit-and-name: the name and the benefit disclosed, nothing else", async () => {
      const asked = await ask("benefit-and-name");
      const [shown] = await walletAnswers(asked, await issuer.world.issue({ index: 22, holder, format: "dc+sd-jwt" }));
      expect(names(shown!).sort()).toEqual(["benefit", "name", "programme"]);
      expect(await check(asked)).toMatchObject({ outcome: "green", name: "Amina Njoroge", benefit: expect.objectContaining({ amount: 3000 }) });
    });

    it("a cancelled card is red: its Token Status List entry read from the device's lists", async () => {
      issuer.world.revoked.add(23);
      const { refreshAll } = await import("./refresh");
      await refreshAll({ db, fetch, now: () => Date.now() });
      const asked = await ask();
      await walletAnswers(asked, await issuer.world.issue({ index: 23, holder, format: "dc+sd-jwt" }));
      expect(await check(asked)).toMatchObject({ outcome: "red", reasonKey: "reason.ERR_CREDENTIAL_REVOKED" });
    });

    it.each([
      ["without its KB-JWT", "reason.ERR_HOLDER_MISMATCH", (f: WalletFormat): WalletFormat => ({ ...f, present: async (h, a) => ((await f.present(h, a)) as string).replace(/[^~]+$/, "") })],
      ["bound to another nonce", "reason.ERR_PRESENTATION_STALE", (f: WalletFormat): WalletFormat => ({ ...f, present: (h, a) => f.present(h, { ...a, nonce: "not-the-request-nonce" }) })],
      ["bound to another verifier", "reason.ERR_PRESENTATION_STALE", (f: WalletFormat): WalletFormat => ({ ...f, present: (h, a) => f.present(h, { ...a, audience: "decentralized_identifier:did:key:z6MkOther" }) })],
      [
        "with an edited disclosure",
        "reason.ERR_SIGNATURE_INVALID",
        (f: WalletFormat): WalletFormat => ({
          ...f,
          present: async (h, a) => {
            const parts = ((await f.present(h, a)) as string).split("~");
            parts[1] = Buffer.from(JSON.stringify(["c2FsdA", "programme", { id: "cash-transfer", name: "Edited" }])).toString("base64url");
            return parts.join("~");
          },
        }),
      ],
    ] as const)("an answer %s is red (%s)", async (_what, reasonKey, tamper) => {
      const asked = await ask();
      await walletAnswers(asked, await issuer.world.issue({ index: 24, holder, format: "dc+sd-jwt" }), tamper);
      expect(await check(asked)).toMatchObject({ outcome: "red", reasonKey });
    });
  });

  it("only an enrolled device can open a request at the relay", async () => {
    const stranger = await openVerifierDb(`ask-phone-${dbn++}`);
    await expect(openPhoneRequest({ db: stranger, preset: "enrolment", programmeId: "cash-transfer", fetch })).rejects.toMatchObject({ code: "ERR_NOT_ENROLLED" });
  });
});
