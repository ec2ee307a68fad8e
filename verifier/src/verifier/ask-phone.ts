/**
 * "Ask a phone" (online): the service point asks a wallet a narrow question over OpenID4VP 1.0 with
 * DCQL. A PWA cannot receive the wallet's POST, so the issuer's relay takes it: the device opens a
 * request there (signed with its enrolled key), signs the DCQL request object with the same key,
 * publishes it, shows the QR, and polls. The answer is a JWE for a key made for this request, whose
 * private half never leaves this device; it is decrypted and checked here with the same offline
 * trust bundle and status lists as a scanned code. The compact offline QR stays the counter's default.
 * The request asks for Haki's VC-JWTs (`jwt_vc_json`, the default) or for an SD-JWT VC
 * (`dc+sd-jwt`: the phone then discloses only what the question names, and the card's Token Status
 * List entry is read from the same held lists it is published from).
 */
import { didKeyFromPublicKey, keyIdForDid, rawFromPublicJwk } from "@haki/credentials/did";
import type { HakiKeyPair } from "@haki/credentials/keys";
import type { SdJwtErrorCode, VerificationErrorCode } from "@haki/credentials/errors";
import type { EntitlementSubject } from "@haki/credentials/model";
import type { PresentationVerificationResult } from "@haki/credentials/presentation";
import type { SdJwtVerificationSuccess } from "@haki/credentials/sd-jwt";
import { sdJwtVcVerifier } from "@haki/openid4vp/formats/dc-sd-jwt";
import { jwtVcJsonVerifier } from "@haki/openid4vp/formats/jwt-vc-json";
import { Openid4vpError, type Openid4vpErrorCode } from "@haki/openid4vp/errors";
import { benefitAndNameQuery, enrolmentQuery, type QueryFormat } from "@haki/openid4vp/queries";
import { answerForm, type OpenedRequest, type RelayAnswer } from "@haki/openid4vp/relay";
import { signRelayOpening } from "@haki/openid4vp/relay-auth";
import { createPresentationRequest, PresentationDeclinedError, receivePresentationResponse, type PresentationSession } from "@haki/openid4vp/verifier";
import { rejectionForCredentialCode } from "@haki/redemption/check";
import type { RejectionCode } from "@haki/redemption/codes";
import { withMaxAge } from "@haki/redemption/status";
import { programmeName, trustListFromBundle } from "@haki/redemption/trust-bundle";
import { createStatusLookup, createTokenStatusLookupFromBitstrings } from "@haki/status-list";
import type { VerifierDb } from "../storage/db";
import { NotEnrolledError, IssuerRequestError } from "./errors";
import { fetchText, issuerUrl, postJson, type Fetch } from "./http";

/** The questions a service point may ask. */
export const PHONE_PRESETS = ["enrolment", "benefit-and-name"] as const;
export type PhonePreset = (typeof PHONE_PRESETS)[number];

/** A request waiting for its answer; lives only in memory on this device (its key is in `session`). */
export interface PhoneRequest {
  preset: PhonePreset;
  /** The credential format asked for (default `jwt_vc_json`). */
  format?: QueryFormat;
  programmeId: string;
  requestId: string;
  transactionId: string;
  /** Where the device polls: the issuer's relay. */
  relay: string;
  expiresAt: number;
  /** For the QR (the wallet fetches the request object from the relay). */
  crossDeviceUri: string;
  /** For a link opened on the same phone (the request carried by value). */
  sameDeviceUri: string;
  session: PresentationSession;
}

/** What the counter is told: only the facts the preset asked, never more. */
export type PhoneResult =
  | {
      outcome: "green";
      preset: PhonePreset;
      programme: string;
      issuer: string;
      validUntil?: string;
      name?: string;
      benefit?: EntitlementSubject["benefit"];
    }
  | { outcome: "red"; reasonKey: `reason.${RejectionCode}` | `phone.reason.${PhoneRefusal}`; details: Record<string, string> };

/** Refusals that only an online request has. */
export type PhoneRefusal = "declined" | "expired" | "invalid" | "other";

/**
 * The device's enrolled key as the signer of request objects (client id `decentralized_identifier:<did:key>`).
 *
 * @example
 * const signer = await deviceSigner(db);
 */
export async function deviceSigner(db: VerifierDb): Promise<HakiKeyPair & { deviceId: string; issuer: string }> {
  const [device, enrolment] = await Promise.all([db.getDevice(), db.getEnrolment()]);
  if (!device || !enrolment) throw new NotEnrolledError();
  const did = didKeyFromPublicKey(rawFromPublicJwk(device.publicJwk));
  const publicKey = await crypto.subtle.importKey("jwk", device.publicJwk, { name: "Ed25519" }, true, ["verify"]);
  return { did, kid: keyIdForDid(did), privateKey: device.privateKey, publicKey, publicJwk: device.publicJwk, deviceId: enrolment.deviceId, issuer: enrolment.issuer };
}

/**
 * Opens a request at the issuer's relay, signs the DCQL query for the preset and publishes it.
 *
 * @example
 * const asked = await openPhoneRequest({ db, preset: "enrolment", programmeId: "cash-for-work", fetch });
 * showQr(asked.crossDeviceUri);
 */
export async function openPhoneRequest(args: { db: VerifierDb; preset: PhonePreset; programmeId: string; fetch: Fetch; now?: Date; format?: QueryFormat }): Promise<PhoneRequest> {
  const now = args.now ?? new Date();
  const signer = await deviceSigner(args.db);
  const relay = issuerUrl(signer.issuer, "/api/openid4vp");
  const proof = await signRelayOpening({ deviceId: signer.deviceId, privateKey: signer.privateKey }, `${relay}/requests`, now);
  const opened = (await postJson(args.fetch, `${relay}/requests`, { proof })) as OpenedRequest;
  const format = args.format ?? "jwt_vc_json";
  const query = args.preset === "enrolment" ? enrolmentQuery(args.programmeId, format) : benefitAndNameQuery(args.programmeId, format);
  const made = await createPresentationRequest({
    query,
    signer,
    responseUri: opened.responseUri,
    requestUri: opened.requestUri,
    clientName: await servicePointName(args.db),
    now,
  });
  const kid = (made.session.request.client_metadata?.jwks?.keys[0] as { kid?: string } | undefined)?.kid;
  await fetchText(args.fetch, `${relay}/requests/${opened.requestId}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ transactionId: opened.transactionId, requestObject: made.requestObject, ...(kid ? { encryptionKid: kid } : {}) }),
  });
  return {
    preset: args.preset,
    format,
    programmeId: args.programmeId,
    requestId: opened.requestId,
    transactionId: opened.transactionId,
    relay,
    expiresAt: Math.min(opened.expiresAt, Date.parse(made.session.expiresAt)),
    crossDeviceUri: made.crossDeviceUri!,
    sameDeviceUri: made.sameDeviceUri,
    session: made.session,
  };
}

async function servicePointName(db: VerifierDb): Promise<string | undefined> {
  const [enrolment, trust] = await Promise.all([db.getEnrolment(), db.getTrust()]);
  return trust?.bundle.servicePoints.find((s) => s.id === enrolment?.servicePoint)?.name ?? enrolment?.servicePoint;
}

/**
 * Asks the relay once: the answer (handed over once, then deleted there), or undefined while waiting.
 *
 * @example
 * const answer = await pollPhoneAnswer(asked, fetch);
 */
export async function pollPhoneAnswer(request: PhoneRequest, fetchFn: Fetch): Promise<RelayAnswer | undefined> {
  let res: Response;
  try {
    res = await fetchFn(`${request.relay}/requests/${request.requestId}/answer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ transactionId: request.transactionId }),
      cache: "no-store",
    });
  } catch (cause) {
    throw new IssuerRequestError("The issuer could not be reached", undefined, { cause });
  }
  if (res.status === 204) return undefined;
  if (!res.ok) throw new IssuerRequestError(`The issuer answered ${res.status}`, res.status);
  return ((await res.json()) as { answer: RelayAnswer }).answer;
}

const REFUSALS: Partial<Record<Openid4vpErrorCode, PhoneRefusal>> = {
  ERR_VP_REQUEST_EXPIRED: "expired",
  ERR_VP_RESPONSE_INVALID: "invalid",
  ERR_VP_RESPONSE_UNDECRYPTABLE: "invalid",
  ERR_VP_STATE_MISMATCH: "invalid",
  ERR_VP_QUERY_NOT_SATISFIED: "invalid",
};

/**
 * Decrypts and checks the answer offline: state, nonce, audience, the card (trust bundle, dates,
 * status lists as the operator's settings allow; for an SD-JWT VC its disclosures, KB-JWT and
 * Token Status List entry), the DCQL query, and that the programme is one this service point serves. Answers only with what the preset asked. Never throws for a bad answer.
 *
 * @example
 * const result = await checkPhoneAnswer(answer, asked, db, new Date());
 */
export async function checkPhoneAnswer(answer: RelayAnswer, request: PhoneRequest, db: VerifierDb, now: Date): Promise<PhoneResult> {
  const [trust, lists, settings, enrolment] = await Promise.all([db.getTrust(), db.getStatusLists(), db.getSettings(), db.getEnrolment()]);
  const red = (reasonKey: Extract<PhoneResult, { outcome: "red" }>["reasonKey"], details: Record<string, string> = {}): PhoneResult => ({ outcome: "red", reasonKey, details });
  if (!trust || !enrolment) return red("reason.ERR_NOT_ENROLLED");
  if (settings.whenOutdated === "refuse" && now.getTime() - trust.fetchedAt > settings.maxTrustAgeHours * 3_600_000) return red("reason.ERR_TRUST_STALE");
  const usable = settings.whenOutdated === "refuse" ? withMaxAge(lists, settings.maxStatusAgeHours) : lists;
  const status = createStatusLookup(usable, { now: () => now });
  const trustList = trustListFromBundle(trust.bundle);
  const checks = { requireStatus: true, clockToleranceSeconds: settings.clockSkewSeconds };
  const formats = [jwtVcJsonVerifier(trustList, { status, ...checks }), sdJwtVcVerifier(trustList, { status: createTokenStatusLookupFromBitstrings(status), ...checks })];
  let subject: Partial<EntitlementSubject>;
  let issuer: string;
  let validUntil: string | undefined;
  try {
    const received = await receivePresentationResponse(answerForm(answer), request.session, formats, { now });
    const verified = received.presentations[0]!.result as Extract<PresentationVerificationResult, { valid: true }> | SdJwtVerificationSuccess;
    subject = verified.subject;
    issuer = verified.issuer.name ?? verified.issuer.did;
    validUntil = verified.validUntil.toISOString().slice(0, 10);
  } catch (e) {
    if (e instanceof PresentationDeclinedError) return red(e.error === "access_denied" ? "phone.reason.declined" : "phone.reason.other");
    if (e instanceof Openid4vpError && e.code === "ERR_VP_PRESENTATION_INVALID") {
      const code = (e.cause as { code?: VerificationErrorCode | SdJwtErrorCode } | undefined)?.code;
      return code ? red(`reason.${rejectionForCredentialCode(code)}`) : red("phone.reason.invalid");
    }
    if (e instanceof Openid4vpError) return red(`phone.reason.${REFUSALS[e.code] ?? "invalid"}`);
    return red("phone.reason.invalid");
  }
  // An SD-JWT VC shows only what was disclosed: an answer without the programme answers nothing.
  if (!subject.programme) return red("phone.reason.invalid");
  const servicePoint = trust.bundle.servicePoints.find((s) => s.id === enrolment.servicePoint);
  const name = programmeName(trust.bundle, subject.programme.id, settings.locale) ?? subject.programme.name;
  if (!servicePoint?.programmes.includes(subject.programme.id)) return red("reason.ERR_PROGRAMME_NOT_ALLOWED", { programme: name });
  return {
    outcome: "green",
    preset: request.preset,
    programme: name,
    issuer,
    ...(validUntil ? { validUntil } : {}),
    // The enrolment question shows neither name nor amount, even though a VC-JWT carried them.
    ...(request.preset === "benefit-and-name" ? { name: subject.name, benefit: subject.benefit } : {}),
  };
}
