/**
 * Verifier side of OpenID4VP 1.0 with DCQL, on @openid4vc/openid4vp: a signed request object (client
 * id `decentralized_identifier:` + the service point device's DID), shown as a QR (by reference) or a
 * same-device link (by value), asking for an encrypted answer (`direct_post.jwt`, ECDH-ES to a P-256
 * key made for this one request, whose private half never leaves the device); then the answer is
 * decrypted, its state, nonce and audience checked, each presentation verified by its format, and
 * the whole checked against the DCQL query.
 */
import { allowLoopbackHttp } from "./lib/urls";
import type { HakiKeyPair } from "@haki/credentials/keys";
import { Openid4vpVerifier, type Openid4vpAuthorizationRequest } from "@openid4vc/openid4vp";
import { DcqlPresentationResult, DcqlQuery, type DcqlCredentialPresentation } from "dcql";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { Openid4vpError } from "./errors";
import type { VerifiedPresentation, VerifierFormat } from "./formats/adapter";
import {
  RESPONSE_ENC_VALUES,
  RESPONSE_KEY_ALG,
  decryptJweCallback,
  libraryCallbacks,
  randomToken,
  signJwtCallback,
  verifyJwtCallback,
} from "./lib/jose";
import { step } from "./lib/library-errors";

/** The `aud` of a request object under static discovery (OpenID4VP 1.0 section 5.8). */
export const SELF_ISSUED_AUDIENCE = "https://self-issued.me/v2";

export interface CreatePresentationRequestInput {
  /** The DCQL query. */
  query: DcqlQuery.Input;
  /** The service point device's key: the request object is signed with it; its DID is the client id. */
  signer: HakiKeyPair;
  /** Where the wallet posts the answer (the issuer relay's response endpoint for this request). */
  responseUri: string;
  /** Where the wallet fetches the signed request (the relay's request endpoint); used by the QR. */
  requestUri?: string;
  /** Shown by wallets next to the verified client id. */
  clientName?: string;
  /** JWS algorithms accepted for the presented credentials, per format. */
  formats?: Record<string, Record<string, unknown>>;
  /** Scheme (or https URL of a wallet) for the links; default `openid4vp://`. */
  scheme?: string;
  now?: Date;
  /** How long the request is good for (default 300 s). */
  expiresInSeconds?: number;
}

/**
 * Everything the verifier device keeps for one request. Stays on the device (it holds the private
 * decryption key): never sent to the relay or anywhere else.
 */
export interface PresentationSession {
  clientId: string;
  nonce: string;
  state: string;
  responseUri: string;
  expiresAt: string;
  /** The request as signed (its payload), needed to check the answer. */
  request: Openid4vpAuthorizationRequest;
  /** The private half of the one-request encryption key (ECDH-ES, P-256). */
  decryptionKey: JWK;
}

export interface PresentationRequest {
  session: PresentationSession;
  /** The signed request object (`oauth-authz-req+jwt`), for the relay to serve at `requestUri`. */
  requestObject: string;
  /** For a QR: `openid4vp://?client_id=...&request_uri=...` (needs `requestUri`). */
  crossDeviceUri?: string;
  /** For a link on the same device: the request by value. */
  sameDeviceUri: string;
}

/** What this verifier accepts per format it may ask for (OpenID4VP 1.0 Appendix B). */
const FORMATS_SUPPORTED: Record<string, Record<string, unknown>> = {
  jwt_vc_json: { alg_values: ["EdDSA"] },
  "dc+sd-jwt": { "sd-jwt_alg_values": ["EdDSA"], "kb-jwt_alg_values": ["EdDSA"] },
};

/** `vp_formats_supported` for the formats the query asks (jwt_vc_json when it asks none known). */
function formatsFor(query: DcqlQuery.Output): Record<string, Record<string, unknown>> {
  const asked = Object.fromEntries(query.credentials.flatMap((c) => (FORMATS_SUPPORTED[c.format] ? [[c.format, FORMATS_SUPPORTED[c.format]!]] : [])));
  return Object.keys(asked).length > 0 ? asked : { jwt_vc_json: FORMATS_SUPPORTED.jwt_vc_json! };
}

function verifierLibrary(decryptionKey?: JWK): Openid4vpVerifier {
  return new Openid4vpVerifier({
    callbacks: libraryCallbacks({
      ...(decryptionKey ? { decryptJwe: decryptJweCallback(decryptionKey) } : {}),
      signJwt: async () => {
        throw new Error("No signer");
      },
    }),
  });
}

/**
 * Builds a signed DCQL request asking for an encrypted answer.
 *
 * @example
 * const { session, requestObject, crossDeviceUri } = await createPresentationRequest({
 *   query: enrolmentQuery("cash-for-work"), signer: deviceKey, responseUri, requestUri, clientName: "Mama Mboga shop",
 * });
 * await relay.publish(requestObject); showQr(crossDeviceUri); keep(session);
 */
export async function createPresentationRequest(input: CreatePresentationRequestInput): Promise<PresentationRequest> {
  const query = await step("ERR_VP_REQUEST_INVALID", () => {
    const q = DcqlQuery.parse(input.query);
    DcqlQuery.validate(q);
    return q;
  });
  const now = input.now ?? new Date();
  const expiresInSeconds = input.expiresInSeconds ?? 300;
  allowLoopbackHttp([input.responseUri, input.requestUri]);
  const { publicKey, privateKey } = await generateKeyPair(RESPONSE_KEY_ALG, { crv: "P-256", extractable: true });
  const kid = randomToken(12);
  const encryptionJwk = { ...(await exportJWK(publicKey)), kid, use: "enc", alg: RESPONSE_KEY_ALG };
  const decryptionKey = { ...(await exportJWK(privateKey)), kid, alg: RESPONSE_KEY_ALG };
  const clientId = `decentralized_identifier:${input.signer.did}`;
  const nonce = randomToken();
  const state = randomToken();
  const payload = {
    response_type: "vp_token" as const,
    client_id: clientId,
    response_mode: "direct_post.jwt" as const,
    response_uri: input.responseUri,
    nonce,
    state,
    dcql_query: query,
    client_metadata: {
      ...(input.clientName ? { client_name: input.clientName } : {}),
      jwks: { keys: [encryptionJwk] },
      encrypted_response_enc_values_supported: [...RESPONSE_ENC_VALUES],
      vp_formats_supported: input.formats ?? formatsFor(query),
    },
  };
  const library = new Openid4vpVerifier({ callbacks: libraryCallbacks({ signJwt: signJwtCallback(input.signer) }) });
  const created = await step("ERR_VP_REQUEST_INVALID", () =>
    library.createOpenId4vpAuthorizationRequest({
      authorizationRequestPayload: payload as Openid4vpAuthorizationRequest,
      jar: {
        jwtSigner: { method: "did", didUrl: input.signer.kid, alg: "EdDSA" },
        additionalJwtPayload: { aud: SELF_ISSUED_AUDIENCE },
        expiresInSeconds,
        ...(input.requestUri ? { requestUri: input.requestUri } : {}),
      },
      ...(input.scheme ? { scheme: input.scheme } : {}),
      now,
    }),
  );
  const requestObject = created.jar!.authorizationRequestJwt;
  const sameDevice = new URL(input.scheme ?? "openid4vp://");
  sameDevice.search = new URLSearchParams({ client_id: clientId, request: requestObject }).toString();
  return {
    session: {
      clientId,
      nonce,
      state,
      responseUri: input.responseUri,
      expiresAt: new Date(now.getTime() + expiresInSeconds * 1000).toISOString(),
      request: created.authorizationRequestPayload as Openid4vpAuthorizationRequest,
      decryptionKey,
    },
    requestObject,
    ...(input.requestUri ? { crossDeviceUri: created.authorizationRequest } : {}),
    sameDeviceUri: sameDevice.toString(),
  };
}

/** One presented credential, verified. */
export interface ReceivedPresentation extends VerifiedPresentation {
  queryId: string;
  format: string;
}

export interface ReceivedResponse {
  presentations: ReceivedPresentation[];
  /** The ids of the query's credentials that were answered. */
  answered: string[];
}

/** The wallet said no (`access_denied`) or failed: an error answer carries no presentation. */
export class PresentationDeclinedError extends Openid4vpError {
  readonly error: string;
  constructor(error: string) {
    super("ERR_VP_QUERY_NOT_SATISFIED", error === "access_denied" ? "The person declined to share." : `The wallet could not answer (${error}).`);
    this.error = error;
  }
}

function responseBody(input: string | URLSearchParams | Record<string, unknown>): Record<string, unknown> {
  if (typeof input === "string") return Object.fromEntries(new URLSearchParams(input));
  if (input instanceof URLSearchParams) return Object.fromEntries(input);
  return input;
}

/**
 * Reads the wallet's answer (the form body posted to the response URI, as relayed): decrypts it
 * with the session's key, checks `state`, verifies every presentation with its format (nonce and
 * audience included) and that the verified claims answer the DCQL query. Throws `Openid4vpError`.
 *
 * @example
 * const { presentations } = await receivePresentationResponse(relayed, session, [jwtVcJsonVerifier(trust, { status })]);
 */
export async function receivePresentationResponse(
  body: string | URLSearchParams | Record<string, unknown>,
  session: PresentationSession,
  formats: readonly VerifierFormat[],
  options: { now?: Date } = {},
): Promise<ReceivedResponse> {
  const now = options.now ?? new Date();
  if (now.getTime() > Date.parse(session.expiresAt)) throw new Openid4vpError("ERR_VP_REQUEST_EXPIRED");
  allowLoopbackHttp([session.responseUri]);
  const form = responseBody(body);
  if (typeof form.error === "string") {
    if (form.state !== session.state) throw new Openid4vpError("ERR_VP_STATE_MISMATCH");
    throw new PresentationDeclinedError(form.error);
  }
  if (typeof form.response !== "string") {
    throw new Openid4vpError("ERR_VP_RESPONSE_INVALID", "The answer is not encrypted, and this request asked for an encrypted one.");
  }
  const parsed = await step(
    "ERR_VP_RESPONSE_INVALID",
    () =>
      verifierLibrary(session.decryptionKey).parseOpenid4vpAuthorizationResponse({
        authorizationResponse: { response: form.response },
        authorizationRequestPayload: session.request,
        callbacks: { decryptJwe: decryptJweCallback(session.decryptionKey), verifyJwt: verifyJwtCallback },
      }),
    (detail) => (/decrypt/i.test(detail) ? "ERR_VP_RESPONSE_UNDECRYPTABLE" : /state/i.test(detail) ? "ERR_VP_STATE_MISMATCH" : undefined),
  );
  // The library checks state only when the request had one; ours always has.
  if (parsed.authorizationResponsePayload.state !== session.state) throw new Openid4vpError("ERR_VP_STATE_MISMATCH");
  if (parsed.type !== "dcql") throw new Openid4vpError("ERR_VP_RESPONSE_INVALID", "The answer is not a DCQL answer.");
  const query = DcqlQuery.parse(session.request.dcql_query as DcqlQuery.Input);
  const byId = new Map(query.credentials.map((c) => [c.id, c]));
  const presentations: ReceivedPresentation[] = [];
  const forDcql: Record<string, DcqlCredentialPresentation[]> = {};
  for (const [queryId, entries] of Object.entries(parsed.dcql.presentations)) {
    const asked = byId.get(queryId);
    if (!asked) throw new Openid4vpError("ERR_VP_RESPONSE_INVALID", `The answer holds a credential that was not asked for (${queryId}).`);
    if (entries.length > 1 && !asked.multiple) throw new Openid4vpError("ERR_VP_RESPONSE_INVALID", `Several credentials answer ${queryId}, and one was asked for.`);
    const format = formats.find((f) => f.format === asked.format);
    if (!format) throw new Openid4vpError("ERR_VP_FORMAT_UNSUPPORTED", `This device cannot check ${asked.format} credentials.`);
    for (const entry of entries) {
      const verified = await format.verify(entry, { nonce: session.nonce, audience: session.clientId, now });
      presentations.push({ ...verified, queryId, format: asked.format });
      (forDcql[queryId] ??= []).push(verified.dcql);
    }
  }
  const satisfied = await step("ERR_VP_QUERY_NOT_SATISFIED", () => DcqlPresentationResult.fromDcqlPresentation(forDcql as never, { dcqlQuery: query }));
  if (!satisfied.can_be_satisfied) throw new Openid4vpError("ERR_VP_QUERY_NOT_SATISFIED");
  return { presentations, answered: Object.keys(forDcql) };
}
