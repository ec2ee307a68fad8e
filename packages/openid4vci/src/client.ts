/**
 * Wallet side of the pre-authorised code flow, browser-safe (Web Crypto, injected fetch):
 * offer -> issuer metadata -> token (with PIN) -> nonce -> credential with a holder key proof.
 * Protocol steps are @openid4vc/openid4vci's `Openid4vciClient`; this module adds the signer, the
 * offer checks and errors a wallet can show.
 */
import { keyIdForDid, publicJwkFromDid } from "@haki/credentials/did";
import {
  Oauth2ClientErrorResponseError,
  clientAuthenticationAnonymous,
  preAuthorizedCodeGrantIdentifier,
  type Jwk,
  type JwtSigner,
  type SignJwtCallback,
} from "@openid4vc/oauth2";
import {
  Openid4vciClient,
  Openid4vciRetrieveCredentialsError,
  type CredentialIssuerMetadata,
  type CredentialOfferObject,
} from "@openid4vc/openid4vci";
import { ReceiveError, type ReceiveErrorCode } from "./errors";
import { encodeJsonSegment, generateRandomCallback, hashCallback } from "./lib/callbacks";
import { base64url, base64urlDecode } from "./lib/crypto";

export type { CredentialOfferObject } from "@openid4vc/openid4vci";

type Fetch = typeof globalThis.fetch;

/** The holder's key: its DID, and a signer that never hands the private key out. */
export interface HolderKey {
  /** did:key or did:jwk of the holder; the credential's `sub`. */
  did: string;
  /** Key id for the proof header; defaults to the DID's single key (`<did>#<fragment>`). */
  kid?: string;
  /** Ed25519 signature over the bytes (Web Crypto `sign("Ed25519", ...)`). */
  sign(bytes: Uint8Array): Promise<Uint8Array>;
}

/** What a wallet needs to know before starting: who offers, and whether to ask for a PIN. */
export interface OfferSummary {
  credentialIssuer: string;
  credentialConfigurationIds: string[];
  txCode: { length: number | undefined; inputMode: "numeric" | "text"; description: string | undefined } | undefined;
}

class NetworkFailure extends Error {}

function guardedFetch(fetchImpl: Fetch): Fetch {
  return async (input, init) => {
    try {
      return await fetchImpl(input, init);
    } catch (cause) {
      throw new NetworkFailure("fetch failed", { cause });
    }
  };
}

function hasCause(error: unknown, predicate: (e: unknown) => boolean, depth = 0): boolean {
  if (depth > 8 || error === undefined || error === null) return false;
  if (predicate(error)) return true;
  return error instanceof Error && hasCause(error.cause, predicate, depth + 1);
}

function newClient(fetchImpl: Fetch, signJwt: SignJwtCallback = () => Promise.reject(new Error("No holder key"))): Openid4vciClient {
  return new Openid4vciClient({
    callbacks: {
      fetch: guardedFetch(fetchImpl),
      hash: hashCallback,
      generateRandom: generateRandomCallback,
      signJwt,
      clientAuthentication: clientAuthenticationAnonymous(),
    },
  });
}

/**
 * Reads a scanned or opened credential offer: `openid-credential-offer://?credential_offer=...`,
 * a wallet link `https://.../receive?credential_offer=...`, or an offer by reference
 * (`credential_offer_uri`, fetched with `fetch`). Throws `ERR_OFFER_INVALID` for anything else.
 * @example
 * const offer = await parseCredentialOfferUri(scannedText);
 * if (summarizeOffer(offer).txCode) askForPin();
 */
export async function parseCredentialOfferUri(text: string, options: { fetch?: Fetch } = {}): Promise<CredentialOfferObject> {
  const trimmed = text.trim();
  if (!/[?&#]credential_offer(_uri)?=/.test(trimmed)) throw new ReceiveError("ERR_OFFER_INVALID");
  let offer: CredentialOfferObject;
  try {
    offer = await newClient(options.fetch ?? fail).resolveCredentialOffer(trimmed.replace("#credential_offer", "?credential_offer"));
  } catch (cause) {
    if (hasCause(cause, (e) => e instanceof NetworkFailure)) throw new ReceiveError("ERR_NETWORK", { cause });
    throw new ReceiveError("ERR_OFFER_INVALID", { cause });
  }
  if (!offer.grants?.[preAuthorizedCodeGrantIdentifier]) {
    throw new ReceiveError("ERR_OFFER_INVALID", { detail: "no pre-authorised code" });
  }
  return offer;
}

const fail: Fetch = () => Promise.reject(new Error("No fetch was given to load this offer."));

/**
 * Who offers what, and whether a PIN is needed.
 * @example
 * summarizeOffer(offer).txCode?.length; // 6
 */
export function summarizeOffer(offer: CredentialOfferObject): OfferSummary {
  const grant = offer.grants?.[preAuthorizedCodeGrantIdentifier];
  const txCode = grant?.tx_code;
  return {
    credentialIssuer: offer.credential_issuer,
    credentialConfigurationIds: offer.credential_configuration_ids,
    txCode: txCode
      ? { length: txCode.length, inputMode: txCode.input_mode === "text" ? "text" : "numeric", description: txCode.description }
      : undefined,
  };
}

const HAKI_ERRORS: Record<string, ReceiveErrorCode> = {
  offer_expired: "ERR_OFFER_EXPIRED",
  offer_already_used: "ERR_OFFER_ALREADY_USED",
  offer_unknown: "ERR_OFFER_INVALID",
  tx_code_required: "ERR_TX_CODE_REQUIRED",
  tx_code_wrong: "ERR_TX_CODE_WRONG",
  tx_code_locked: "ERR_TX_CODE_LOCKED",
  rate_limited: "ERR_RATE_LIMITED",
};

function errorBody(error: unknown): Record<string, unknown> | undefined {
  if (error instanceof Oauth2ClientErrorResponseError) return error.errorResponse as Record<string, unknown>;
  if (error instanceof Openid4vciRetrieveCredentialsError) {
    const data = error.response.credentialErrorResponseResult?.data;
    return data ? (data as Record<string, unknown>) : undefined;
  }
  return undefined;
}

function toReceiveError(error: unknown): ReceiveError {
  if (error instanceof ReceiveError) return error;
  if (hasCause(error, (e) => e instanceof NetworkFailure)) return new ReceiveError("ERR_NETWORK", { cause: error });
  const body = errorBody(error);
  const haki = typeof body?.haki_error === "string" ? HAKI_ERRORS[body.haki_error] : undefined;
  if (haki) {
    const attemptsLeft = typeof body?.attempts_left === "number" ? body.attempts_left : undefined;
    return new ReceiveError(haki, { cause: error, ...(attemptsLeft !== undefined ? { attemptsLeft } : {}) });
  }
  const detail = typeof body?.error === "string" ? body.error : undefined;
  return new ReceiveError("ERR_ISSUER", { cause: error, ...(detail ? { detail } : {}) });
}

function holderKid(holder: HolderKey): string {
  return holder.kid ?? keyIdForDid(holder.did);
}

function holderSigner(holder: HolderKey): SignJwtCallback {
  return async (signer: JwtSigner, jwt) => {
    if (signer.method !== "did" || signer.didUrl !== holderKid(holder)) throw new Error("Unexpected signer for the key proof.");
    const signingInput = `${encodeJsonSegment(jwt.header)}.${encodeJsonSegment(jwt.payload)}`;
    const signature = await holder.sign(new TextEncoder().encode(signingInput));
    return { jwt: `${signingInput}.${base64url(signature)}`, signerJwk: publicJwkFromDid(holder.did) as Jwk };
  };
}

export interface ReceivedCredential {
  /** The credential as the issuer sent it: a VC-JWT (VC 1.1 or `vc+jwt`) or an SD-JWT VC. */
  credential: string;
  credentialIssuer: string;
  credentialConfigurationId: string;
  issuerMetadata: CredentialIssuerMetadata;
  /** When the issuer has a notification endpoint: what `notifyIssuer` needs to say the card was kept or deleted. */
  notification?: { notificationId: string; accessToken: string };
}

/**
 * Runs the whole pre-authorised flow for one offer and returns the credential, after checking it
 * is bound to the holder's DID and, when `verifyCredential` is given (the wallet passes
 * `@haki/credentials/verify` against its trust list), that it verifies. Nothing is stored here.
 * Errors are `ReceiveError`s: ERR_OFFER_EXPIRED, ERR_OFFER_ALREADY_USED, ERR_TX_CODE_REQUIRED,
 * ERR_TX_CODE_WRONG (with `attemptsLeft`), ERR_TX_CODE_LOCKED, ERR_NETWORK, ERR_ISSUER,
 * ERR_CREDENTIAL_REJECTED.
 * @example
 * const { credential } = await receiveCredential({
 *   offer: await parseCredentialOfferUri(scanned), txCode: pin, holder, fetch,
 *   verifyCredential: async (jwt) => { const r = await verify(jwt, trust); if (!r.valid) throw new Error(r.code); },
 * });
 */
export async function receiveCredential(args: {
  offer: CredentialOfferObject;
  txCode?: string;
  holder: HolderKey;
  fetch: Fetch;
  now?: () => Date;
  verifyCredential?: (credential: string, context: { credentialIssuer: string }) => Promise<void>;
}): Promise<ReceivedCredential> {
  const { offer, holder } = args;
  const summary = summarizeOffer(offer);
  if (summary.txCode && !args.txCode) throw new ReceiveError("ERR_TX_CODE_REQUIRED");
  const credentialConfigurationId = summary.credentialConfigurationIds[0];
  if (!credentialConfigurationId) throw new ReceiveError("ERR_OFFER_INVALID");

  const client = newClient(args.fetch, holderSigner(holder));
  let credential: string;
  let notification: ReceivedCredential["notification"];
  let issuerMetadata: Awaited<ReturnType<Openid4vciClient["resolveIssuerMetadata"]>>;
  try {
    issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
    if (!issuerMetadata.credentialIssuer.credential_configurations_supported[credentialConfigurationId]) {
      throw new ReceiveError("ERR_ISSUER", { detail: "the issuer does not offer this credential" });
    }
    const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
      credentialOffer: offer,
      issuerMetadata,
      ...(summary.txCode ? { txCode: args.txCode } : {}),
    });
    const requestOnce = async (nonce: string) => {
      const { jwt } = await client.createCredentialRequestJwtProof({
        issuerMetadata,
        credentialConfigurationId,
        signer: { method: "did", didUrl: holderKid(holder), alg: "EdDSA" },
        nonce,
        issuedAt: args.now?.() ?? new Date(),
      });
      return client.retrieveCredentials({
        issuerMetadata,
        accessToken: accessTokenResponse.access_token,
        credentialConfigurationId,
        proof: { proof_type: "jwt", jwt },
      });
    };
    const firstNonce = issuerMetadata.credentialIssuer.nonce_endpoint
      ? (await client.requestNonce({ issuerMetadata })).c_nonce
      : accessTokenResponse.c_nonce;
    if (!firstNonce) throw new ReceiveError("ERR_ISSUER", { detail: "the issuer gave no nonce" });
    let response;
    try {
      response = await requestOnce(firstNonce);
    } catch (error) {
      // A nonce can expire between the two calls: one retry with a fresh one, as the spec intends.
      if (errorBody(error)?.error !== "invalid_nonce" || !issuerMetadata.credentialIssuer.nonce_endpoint) throw error;
      response = await requestOnce((await client.requestNonce({ issuerMetadata })).c_nonce);
    }
    const entry = response.credentialResponse.credentials?.[0];
    const first = typeof entry === "object" && entry !== null && "credential" in entry ? entry.credential : undefined;
    if (typeof first !== "string") throw new ReceiveError("ERR_ISSUER", { detail: "no JWT credential in the response" });
    credential = first;
    const notificationId = response.credentialResponse.notification_id;
    if (typeof notificationId === "string" && issuerMetadata.credentialIssuer.notification_endpoint) {
      notification = { notificationId, accessToken: accessTokenResponse.access_token };
    }
  } catch (error) {
    throw toReceiveError(error);
  }

  checkBinding(credential, holder.did);
  if (args.verifyCredential) {
    try {
      await args.verifyCredential(credential, { credentialIssuer: offer.credential_issuer });
    } catch (cause) {
      throw new ReceiveError("ERR_CREDENTIAL_REJECTED", { cause });
    }
  }
  return {
    credential,
    credentialIssuer: offer.credential_issuer,
    credentialConfigurationId,
    issuerMetadata: issuerMetadata.credentialIssuer,
    ...(notification ? { notification } : {}),
  };
}

/**
 * The credential must be bound to this holder: `sub` (VC 1.1 VC-JWT), `credentialSubject.id`
 * (VC 2.0 `vc+jwt`) or `cnf.jwk` (SD-JWT VC, `<jwt>~...`). The signature is `verifyCredential`'s job.
 */
function checkBinding(credential: string, holderDid: string): void {
  const parts = credential.split("~")[0]!.split(".");
  let payload: Record<string, unknown>;
  try {
    if (parts.length !== 3) throw new Error("not a compact JWS");
    payload = JSON.parse(new TextDecoder().decode(base64urlDecode(parts[1] ?? ""))) as Record<string, unknown>;
  } catch (cause) {
    throw new ReceiveError("ERR_CREDENTIAL_REJECTED", { cause, detail: "not a JWT" });
  }
  const subject = payload.credentialSubject as { id?: unknown } | undefined;
  const cnf = (payload.cnf as { jwk?: { x?: unknown } } | undefined)?.jwk;
  const bound = credential.includes("~")
    ? cnf?.x !== undefined && cnf.x === publicJwkFromDid(holderDid).x
    : (payload.vc !== undefined ? payload.sub : subject?.id) === holderDid;
  if (!bound) throw new ReceiveError("ERR_CREDENTIAL_REJECTED", { detail: "issued to another holder" });
}

/**
 * Tells the issuer what became of a received credential (OpenID4VCI 1.0 notification endpoint):
 * `credential_accepted` once stored, `credential_deleted` when the person removes it,
 * `credential_failure` when it could not be kept. Throws `ERR_NETWORK` or `ERR_ISSUER`.
 * @example
 * const received = await receiveCredential(args);
 * await saveCard(received.credential);
 * if (received.notification) await notifyIssuer({ received, event: "credential_accepted", fetch });
 */
export async function notifyIssuer(args: {
  received: Pick<ReceivedCredential, "credentialIssuer" | "notification">;
  event: "credential_accepted" | "credential_failure" | "credential_deleted";
  description?: string;
  fetch: Fetch;
}): Promise<void> {
  const { notification, credentialIssuer } = args.received;
  if (!notification) throw new ReceiveError("ERR_ISSUER", { detail: "this issuer takes no notifications" });
  const client = newClient(args.fetch);
  try {
    const issuerMetadata = await client.resolveIssuerMetadata(credentialIssuer);
    await client.sendNotification({
      issuerMetadata,
      accessToken: notification.accessToken,
      notification: { notificationId: notification.notificationId, event: args.event, ...(args.description ? { eventDescription: args.description } : {}) },
    });
  } catch (error) {
    throw toReceiveError(error);
  }
}
