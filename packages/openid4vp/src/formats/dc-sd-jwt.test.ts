/**
 * SD-JWT VC (`dc+sd-jwt`) over OpenID4VP 1.0 with DCQL: Haki's wallet answering a verifier built
 * from @openid4vc/openid4vp (checked by hand and by @sd-jwt/sd-jwt-vc), a wallet built from the
 * library and @sd-jwt/sd-jwt-vc answering Haki's verifier through the relay, and tampered answers
 * refused with their codes.
 */
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { issueSdJwtVc } from "@haki/credentials/sd-jwt";
import { createDemoIssuer, DEMO_ISSUER_URL, DEMO_SUBJECT, jwsSignatureVerifies } from "@haki/credentials/testing";
import type { TrustList } from "@haki/credentials/trust";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import { base64urlnopad } from "@scure/base";
import { decodeJwt, exportJWK, importJWK, SignJWT, type JWK } from "jose";
import { deflateSync } from "node:zlib";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { libraryVerifierRequest, libraryWalletAnswers } from "../lib/independent-parties";
import { TEST_NOW, useTestParties } from "../lib/test-setup";
import { MemoryRelayStore } from "../memory-relay-store";
import { benefitAndNameQuery, enrolmentQuery } from "../queries";
import { answerForm, createRelay, type Relay } from "../relay";
import { relayFetch, type TestParties } from "../testing";
import { createPresentationRequest, receivePresentationResponse, type PresentationRequest } from "../verifier";
import { createPresentationAnswer, planPresentation, readPresentationRequest, submitPresentationAnswer } from "../wallet";
import type { HeldCredential, WalletFormat } from "./adapter";
import { DC_SD_JWT, sdJwtVcVerifier, sdJwtVcWallet } from "./dc-sd-jwt";
import { jwtVcJsonWallet } from "./jwt-vc-json";

const BASE = "https://issuer.test/api/openid4vp";
const STATUS_URI = `${DEMO_ISSUER_URL}/status/1/token`;
const now = () => Math.floor(Date.now() / 1000);
const sha256 = async (text: string) => base64urlnopad.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text))));
const disclosedNames = (sdJwt: string) =>
  sdJwt.split("~").slice(1, -1).map((d) => (JSON.parse(new TextDecoder().decode(base64urlnopad.decode(d))) as unknown[])[1]).sort();
const verifyEdDsa = (data: string, sig: string, jwk: JWK) => jwsSignatureVerifies(data, sig, jwk, "EdDSA");

let parties: TestParties;
let issuerTrust: TrustList;
let statusToken: string;
let holder: HakiKeyPair;
let card: HeldCredential;
const revoked = new Set<number>();
const status = (r: { status_list: { idx: number } }) => (revoked.has(r.status_list.idx) ? 1 : 0);

const testParties = useTestParties();
beforeAll(async () => {
  parties = testParties();
  const issuer = await createDemoIssuer();
  issuerTrust = issuer.trust;
  // The Token Status List the issuer publishes (all valid), for the library's own status check.
  const lst = base64urlnopad.encode(deflateSync(new Uint8Array(32)));
  statusToken = await new SignJWT({ sub: STATUS_URI, iat: now(), status_list: { bits: 2, lst } }).setProtectedHeader({ alg: "EdDSA", typ: "statuslist+jwt", kid: issuer.key.kid }).sign(issuer.key.privateKey);
  holder = await generateKeyPair();
  const issue = async (index: number): Promise<HeldCredential> => ({
    id: `sd-${index}`,
    format: DC_SD_JWT,
    credential: await issueSdJwtVc(
      { issuerUrl: DEMO_ISSUER_URL, holder: holder.did, subject: DEMO_SUBJECT, validFrom: "2027-03-01", validUntil: "2027-04-01", status: { uri: STATUS_URI, index } },
      issuer.key,
    ),
  });
  card = await issue(42);
  revokedCard = await issue(43);
});
let revokedCard: HeldCredential;

describe("Haki wallet -> a verifier built from @openid4vc/openid4vp, asking for dc+sd-jwt", () => {
  it("answers with the programme disclosure only and a KB-JWT bound to the request's nonce and client id", async () => {
    const lib = await libraryVerifierRequest(enrolmentQuery("cash-for-work", "dc+sd-jwt"), { "dc+sd-jwt": { "sd-jwt_alg_values": ["EdDSA"], "kb-jwt_alg_values": ["EdDSA"] } }, "lib-nonce-sd-0123456789");
    const { nonce, clientId } = lib;
    const formats = [jwtVcJsonWallet(holder), sdJwtVcWallet(holder)];
    const request = await readPresentationRequest(lib.authorizationRequest);
    // Both a VC-JWT and the SD-JWT VC are held: only the SD-JWT VC answers a dc+sd-jwt query.
    const plan = planPresentation(request, [parties.card, card], formats);
    expect(plan.credentials[0]).toMatchObject({ format: "dc+sd-jwt", credential: { id: "sd-42" } });
    const paths = plan.credentials[0]!.disclosed.map((d) => d.path.join("."));
    expect(paths).toContain("programme.id");
    expect(paths.filter((p) => /^(name|benefit|area|cycle)\b/.test(p))).toEqual([]);
    const answer = await createPresentationAnswer(plan, formats, { agreed: plan.credentials[0]!.disclosed.map((d) => d.path) });

    const shown = (await lib.readAnswer(answer.body)).presentation as string;

    // By hand: one disclosure (programme), a KB-JWT over exactly what is shown, for this request.
    expect(disclosedNames(shown)).toEqual(["programme"]);
    const kbJwt = shown.slice(shown.lastIndexOf("~") + 1);
    expect(decodeJwt(kbJwt)).toMatchObject({ nonce, aud: clientId, sd_hash: await sha256(shown.slice(0, shown.lastIndexOf("~") + 1)) });

    // And by the OpenWallet Foundation's SD-JWT VC library, with the issuer's and the holder's keys.
    const sdJwtLib = new SDJwtVcInstance({
      hasher: async (d) => new Uint8Array(await crypto.subtle.digest("SHA-256", typeof d === "string" ? new TextEncoder().encode(d) : d)),
      verifier: (data, sig) => verifyEdDsa(data, sig, issuerTrust.issuers[0]!.keys[0]!.publicKeyJwk as JWK),
      kbVerifier: (data, sig, payload) => verifyEdDsa(data, sig, (payload.cnf as { jwk: JWK }).jwk),
      statusListFetcher: async (uri) => (uri === STATUS_URI ? statusToken : ""),
      statusVerifier: (data, sig) => verifyEdDsa(data, sig, issuerTrust.issuers[0]!.keys[0]!.publicKeyJwk as JWK),
    });
    const checked = await sdJwtLib.verify(shown, { keyBindingNonce: nonce, currentDate: now() });
    expect(checked.payload).toMatchObject({ vct: "https://w3id.org/haki/vct/entitlement/v1", programme: DEMO_SUBJECT.programme });
    expect(checked.payload).not.toHaveProperty("name");
    expect(checked.payload).not.toHaveProperty("benefit");
    expect(checked.kb?.payload).toMatchObject({ aud: clientId, nonce });
  });
});

describe("Haki verifier, through the relay, asking for dc+sd-jwt", () => {
  let relay: Relay;
  let fetch: typeof globalThis.fetch;
  beforeEach(() => {
    relay = createRelay(new MemoryRelayStore(), { baseUrl: BASE });
    fetch = relayFetch(relay, BASE);
  });

  async function verifierAsks(query = enrolmentQuery("cash-for-work", "dc+sd-jwt")): Promise<PresentationRequest & { requestId: string; transactionId: string }> {
    const opened = await relay.openRequest();
    const made = await createPresentationRequest({ query, signer: parties.device, responseUri: opened.responseUri, requestUri: opened.requestUri });
    const kid = (made.session.request.client_metadata?.jwks?.keys[0] as { kid?: string }).kid;
    await relay.publishRequestObject(opened.requestId, opened.transactionId, made.requestObject, kid);
    return { ...made, requestId: opened.requestId, transactionId: opened.transactionId };
  }

  async function received(asked: Awaited<ReturnType<typeof verifierAsks>>) {
    const collected = await relay.collectAnswer(asked.requestId, asked.transactionId);
    if (collected.status !== "answered") throw new Error("no answer");
    return receivePresentationResponse(answerForm(collected.answer), asked.session, [sdJwtVcVerifier(issuerTrust, { status, requireStatus: true })]);
  }

  /** Haki's wallet answers, with `tamper` applied to the presentation (or the presentation made for other values). */
  async function hakiWalletAnswers(asked: PresentationRequest, held: HeldCredential, tamper: (wallet: WalletFormat) => WalletFormat = (w) => w) {
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    const formats = [tamper(sdJwtVcWallet(holder))];
    const plan = planPresentation(request, [held], formats);
    const answer = await createPresentationAnswer(plan, formats, { agreed: plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path)) });
    await submitPresentationAnswer(answer, { fetch });
  }

  it("the vp_formats_supported of the request name dc+sd-jwt with EdDSA for the SD-JWT and the KB-JWT", async () => {
    const asked = await verifierAsks();
    expect(asked.session.request.client_metadata?.vp_formats_supported).toEqual({ "dc+sd-jwt": { "sd-jwt_alg_values": ["EdDSA"], "kb-jwt_alg_values": ["EdDSA"] } });
  });

  it("verifies Haki's wallet's answer: only what was asked reaches the counter", async () => {
    const asked = await verifierAsks(benefitAndNameQuery("cash-for-work", "dc+sd-jwt"));
    await hakiWalletAnswers(asked, card);
    const { presentations } = await received(asked);
    const result = presentations[0]!.result as { disclosed: string[]; subject: Record<string, unknown>; status: string; holderBinding: string };
    expect(result.disclosed.sort()).toEqual(["benefit", "name", "programme"]);
    expect(result).toMatchObject({ status: "ok", holderBinding: "verified", subject: { name: DEMO_SUBJECT.name, benefit: DEMO_SUBJECT.benefit } });
    expect(result.subject).not.toHaveProperty("area");
    expect(result.subject).not.toHaveProperty("cycle");
  });

  it("verifies an answer from a wallet built from @openid4vc/openid4vp presenting with @sd-jwt/sd-jwt-vc", async () => {
    const asked = await verifierAsks();
    const holderJwk = { ...holder.publicJwk } as JWK;
    const holderPrivate = { ...(await exportJWK(holder.privateKey)) };
    const lib = new SDJwtVcInstance({
      hasher: async (d) => new Uint8Array(await crypto.subtle.digest("SHA-256", typeof d === "string" ? new TextEncoder().encode(d) : d)),
      hashAlg: "sha-256",
      kbSignAlg: "EdDSA",
      kbSigner: async (data) => {
        const key = await importJWK({ ...holderPrivate, ...holderJwk }, "EdDSA");
        const sig = new Uint8Array(await crypto.subtle.sign("Ed25519", key as CryptoKey, new TextEncoder().encode(data)));
        return base64urlnopad.encode(sig);
      },
    });
    const answered = await libraryWalletAnswers(asked.crossDeviceUri!, fetch, ({ nonce, clientId }) =>
      lib.present(card.credential, { programme: true }, { kb: { payload: { iat: now(), aud: clientId, nonce } } }),
    );
    expect(answered.status).toBe(200);
    const { presentations } = await received(asked);
    expect(presentations[0]).toMatchObject({ queryId: "entitlement", format: "dc+sd-jwt", result: { disclosed: ["programme"], subject: { programme: DEMO_SUBJECT.programme } } });
  });

  const edit = (field: string, value: unknown) => (w: WalletFormat): WalletFormat => ({
    ...w,
    present: async (held, args) => {
      const shown = (await w.present(held, args)) as string;
      const parts = shown.split("~");
      parts[1] = base64urlnopad.encode(new TextEncoder().encode(JSON.stringify(["c2FsdA", field, value])));
      return parts.join("~");
    },
  });
  const withoutKeyBinding = (w: WalletFormat): WalletFormat => ({ ...w, present: async (held, args) => ((await w.present(held, args)) as string).replace(/[^~]+$/, "") });
  const boundTo = (change: { nonce?: string; audience?: string }) => (w: WalletFormat): WalletFormat => ({ ...w, present: (held, args) => w.present(held, { ...args, ...change }) });

  it.each([
    ["an edited disclosure", "ERR_DISCLOSURE_INVALID", edit("programme", { id: "cash-for-work", name: "Cash for Work (edited)" })],
    ["a missing KB-JWT", "ERR_KEY_BINDING_MISSING", withoutKeyBinding],
    ["a KB-JWT with another nonce", "ERR_NONCE_MISMATCH", boundTo({ nonce: "another-nonce-0123456789" })],
    ["a KB-JWT for another audience", "ERR_NONCE_MISMATCH", boundTo({ audience: "decentralized_identifier:did:key:z6MkOtherVerifier" })],
  ] as const)("refuses %s with %s", async (_name, code, tamper) => {
    const asked = await verifierAsks();
    await hakiWalletAnswers(asked, card, tamper);
    await expect(received(asked)).rejects.toMatchObject({ code: "ERR_VP_PRESENTATION_INVALID", cause: { code } });
  });

  it("refuses a cancelled card through its Token Status List entry (ERR_REVOKED)", async () => {
    revoked.add(43);
    const asked = await verifierAsks();
    await hakiWalletAnswers(asked, revokedCard);
    await expect(received(asked)).rejects.toMatchObject({ code: "ERR_VP_PRESENTATION_INVALID", cause: { code: "ERR_REVOKED" } });
  });

  it("a wallet holding only VC-JWTs cannot answer a dc+sd-jwt query (ERR_VP_NO_MATCH)", async () => {
    const asked = await verifierAsks();
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch });
    expect(() => planPresentation(request, [parties.card], [jwtVcJsonWallet(parties.holder), sdJwtVcWallet(holder)])).toThrow(expect.objectContaining({ code: "ERR_VP_NO_MATCH" }));
    expect(TEST_NOW.getTime()).toBe(Date.now());
  });
});
