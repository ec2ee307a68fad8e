/**
 * Issuer-side handlers of the pre-authorised code flow, framework-agnostic: each takes a standard
 * `Request` and returns `{ status, headers, body }`; the issuer's route handlers wrap them
 * (`toResponse`). Parsing and proof checks come from @openid4vc/oauth2 and @openid4vc/openid4vci;
 * single use, expiry, PIN attempts and nonces are enforced through the `OfferStore`.
 */
import { didJwkFromPublicJwk } from "@haki/credentials/did";
import { Oauth2AuthorizationServer, Oauth2ServerErrorResponseError, type Jwk } from "@openid4vc/oauth2";
import { Openid4vciIssuer, type IssuerMetadataResult, type ParseCredentialRequestReturn } from "@openid4vc/openid4vci";
import { IssuanceError } from "./errors";
import { serverCallbacks } from "./lib/callbacks";
import { randomToken } from "./lib/crypto";
import * as z from "zod";
import {
  buildAuthorizationServerMetadata,
  buildIssuerMetadata,
  credentialFormatOf,
  issuerMetadataResult,
  resolveIssuerConfig,
  type IssuerConfig,
} from "./metadata";
import { createCredentialOffer, generatePreAuthorizedCode, generateTxCode, type CreatedCredentialOffer } from "./offer";
import { hashSecret, type OfferStore, type StoredOffer } from "./store";
import { createStoredNonces, type NonceService } from "./nonces";

export interface HandlerResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface IssuanceDeps {
  /** Treated as immutable: the metadata built from it is cached per object. */
  config: IssuerConfig;
  store: OfferStore;
  /**
   * Signs the credential for the holder (the issuer uses @haki/credentials/sign, or
   * @haki/credentials/sd-jwt for `dc+sd-jwt`). Returns the credential (a VC-JWT or an SD-JWT VC).
   * Called once per proof of a batch, each with its own holder key; throw
   * `IssuanceError("ERR_CREDENTIAL_REQUEST_DENIED")` when the entitlement may not be issued now.
   */
  issueCredential(args: {
    offer: StoredOffer;
    holderDid: string;
    holderJwk: Jwk;
    /** The configuration asked for, and its format. */
    credentialConfigurationId?: string;
    format?: "jwt_vc_json" | "dc+sd-jwt";
    /** Position in the batch (0 for a single credential). */
    index?: number;
  }): Promise<string>;
  /**
   * Called once per credential request after every credential of it was signed: record the
   * delivery (which holder keys, how many credentials) and, when the issuer takes notifications,
   * answer a notification id for them (sent to the wallet, which reports `credential_accepted`,
   * `credential_failure` or `credential_deleted` with it). Bind the id to `tokenHash`: the
   * notification comes with the same access token. A throw fails the request (nothing is sent).
   */
  recordIssuance?(args: {
    offer: StoredOffer;
    holders: { did: string; jwk: Jwk }[];
    credentialConfigurationId: string;
    format: "jwt_vc_json" | "dc+sd-jwt";
    tokenHash: string;
    now: Date;
  }): Promise<{ notificationId?: string } | void>;
  /** Handles a wallet's notification; false when the id is unknown or was made for another token. */
  handleNotification?(args: { notificationId: string; event: NotificationEvent; description?: string; tokenHash: string; now: Date }): Promise<boolean>;
  now?: () => Date;
  /**
   * SHA-256 hex of a secret, as `hashSecret` computes it. Servers may pass a synchronous
   * node:crypto one: Web Crypto's digest is a thread-pool job costing more than the hash itself
   * (two per credential request; about 5% of a loaded issuer's CPU). Must equal `hashSecret`.
   */
  hashSecret?: (secret: string) => string | Promise<string>;
  /** Default 300 s. */
  accessTokenTtlSeconds?: number;
  /** Default 300 s (for the default, stored nonces; a `nonces` service has its own). */
  nonceTtlSeconds?: number;
  /**
   * Where c_nonces come from and are spent: default `createStoredNonces` (a row per nonce in
   * `store`); a server open to the internet passes `createSealedNonces` (no row until spent).
   */
  nonces?: NonceService;
  /** Wrong PINs allowed before the offer is blocked. Default 5. */
  maxTxCodeAttempts?: number;
  /** Oldest accepted proof `iat`, in seconds before now. Default 300. */
  proofMaxAgeSeconds?: number;
  /** Clock skew tolerated for a proof `iat` in the future. Default 60 s. */
  clockSkewSeconds?: number;
}

/**
 * Wallets are web apps on another origin: every OpenID4VCI endpoint answers CORS. `*` is safe here
 * because nothing relies on cookies; access tokens travel in the Authorization header.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers": "www-authenticate, retry-after",
};

const JSON_HEADERS = { "content-type": "application/json", "cache-control": "no-store", ...CORS_HEADERS };

function ok(body: unknown, extra: Record<string, string> = {}): HandlerResponse {
  return { status: 200, headers: { ...JSON_HEADERS, ...extra }, body };
}

/**
 * The error response the spec asks for (`error`, `error_description`), plus Haki's finer reason
 * (`haki_error`) and, after a wrong PIN, `attempts_left`.
 * @example
 * errorResponse(new IssuanceError("ERR_OFFER_EXPIRED")); // { status: 400, body: { error: "invalid_grant", ... } }
 */
export function errorResponse(error: IssuanceError): HandlerResponse {
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (error.status === 401) headers["www-authenticate"] = `Bearer error="${error.oauthError}"`;
  if (error.retryAfterSeconds !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
  return {
    status: error.status,
    headers,
    body: {
      error: error.oauthError,
      error_description: error.message,
      haki_error: error.hakiError,
      ...(error.attemptsLeft !== undefined ? { attempts_left: error.attemptsLeft } : {}),
    },
  };
}

// Metadata is rebuilt (and validated) from a config object only once: configs are not mutated.
const metadataOf = new WeakMap<IssuerConfig, IssuerMetadataResult>();
function cachedMetadata(config: IssuerConfig): IssuerMetadataResult {
  let m = metadataOf.get(config);
  if (!m) metadataOf.set(config, (m = issuerMetadataResult(config)));
  return m;
}
const resolvedOf = new WeakMap<IssuerConfig, ReturnType<typeof resolveIssuerConfig>>();
function cachedConfig(config: IssuerConfig): ReturnType<typeof resolveIssuerConfig> {
  let c = resolvedOf.get(config);
  if (!c) resolvedOf.set(config, (c = resolveIssuerConfig(config)));
  return c;
}

const hashOf = (deps: Pick<IssuanceDeps, "hashSecret">, secret: string) => (deps.hashSecret ?? hashSecret)(secret);

/** The events a wallet reports to the notification endpoint (OpenID4VCI 1.0 section 11.1). */
export const NotificationEvent = z.enum(["credential_accepted", "credential_failure", "credential_deleted"]);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

/** A notification request body (OpenID4VCI 1.0 section 11.1). */
export const NotificationRequest = z.object({
  notification_id: z.string().min(1).max(512),
  event: NotificationEvent,
  event_description: z
    .string()
    .max(1000)
    // %x20-21 / %x23-5B / %x5D-7E: printable ASCII without " and \ (spec section 11.1).
    .regex(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/)
    .optional(),
});
export type NotificationRequest = z.infer<typeof NotificationRequest>;

async function guard(run: () => Promise<HandlerResponse>): Promise<HandlerResponse> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof IssuanceError) return errorResponse(error);
    return errorResponse(new IssuanceError("ERR_ISSUANCE_FAILED", { cause: error }));
  }
}

function requireMethod(request: Request, method: string, code: "ERR_INVALID_REQUEST" | "ERR_INVALID_CREDENTIAL_REQUEST" | "ERR_INVALID_NOTIFICATION_REQUEST" = "ERR_INVALID_REQUEST"): void {
  if (request.method.toUpperCase() !== method) throw new IssuanceError(code, { detail: `Use ${method}.` });
}

function requestLike(request: Request) {
  return { method: request.method.toUpperCase() as "POST", url: request.url, headers: request.headers };
}

/**
 * Turns a handler result into a Fetch API `Response` (what Next.js route handlers return).
 * @example
 * export async function POST(req: Request) { return toResponse(await handleTokenRequest(req, deps)); }
 */
export function toResponse(result: HandlerResponse): Response {
  const body = result.status === 204 || result.body === undefined ? null : JSON.stringify(result.body);
  return new Response(body, { status: result.status, headers: result.headers });
}

/**
 * `OPTIONS` on any OpenID4VCI endpoint: the CORS preflight a browser wallet sends before POSTing
 * JSON with an Authorization header.
 * @example
 * export const OPTIONS = () => toResponse(handlePreflightRequest());
 */
export function handlePreflightRequest(): HandlerResponse {
  return {
    status: 204,
    headers: {
      ...CORS_HEADERS,
      "access-control-allow-methods": "GET, POST, OPTIONS",
      "access-control-allow-headers": "authorization, content-type, dpop",
      "access-control-max-age": "600",
    },
    body: undefined,
  };
}

/**
 * `GET /.well-known/openid-credential-issuer`.
 * @example
 * export const GET = () => toResponse(handleIssuerMetadataRequest(config));
 */
export function handleIssuerMetadataRequest(config: IssuerConfig): HandlerResponse {
  return { status: 200, headers: { "content-type": "application/json", "cache-control": "public, max-age=300", ...CORS_HEADERS }, body: buildIssuerMetadata(config) };
}

/**
 * `GET /.well-known/oauth-authorization-server`.
 * @example
 * export const GET = () => toResponse(handleAuthorizationServerMetadataRequest(config));
 */
export function handleAuthorizationServerMetadataRequest(config: IssuerConfig): HandlerResponse {
  return {
    status: 200,
    headers: { "content-type": "application/json", "cache-control": "public, max-age=300", ...CORS_HEADERS },
    body: buildAuthorizationServerMetadata(config),
  };
}

export interface RegisteredOffer extends CreatedCredentialOffer {
  /** The PIN to hand out separately (letter, SMS, counter), or undefined when none was asked. */
  txCode: string | undefined;
  expiresAt: Date;
}

/**
 * Creates an offer for one beneficiary: a fresh code (and PIN when `txCodeLength` is set), their
 * hashes saved in the store, and the offer URI / link to print or send.
 * @example
 * const { offerUri, link, txCode } = await registerOffer({
 *   config, store, id: entitlement.id, expiresAt: addDays(now, 14), txCodeLength: 6,
 *   walletUrl: "https://wallet.haki.example/receive",
 * });
 */
export async function registerOffer(args: {
  config: IssuerConfig;
  store: OfferStore;
  id: string;
  expiresAt: Date;
  txCodeLength?: number;
  txCodeDescription?: string;
  walletUrl?: string;
  /** Which configuration to offer (the SD-JWT VC one, say); default the `jwt_vc_json` one. */
  credentialConfigurationId?: string;
}): Promise<RegisteredOffer> {
  const config = resolveIssuerConfig(args.config);
  const credentialConfigurationId = args.credentialConfigurationId ?? config.credentialConfigurationId;
  if (!credentialFormatOf(args.config, credentialConfigurationId)) throw new IssuanceError("ERR_UNKNOWN_CREDENTIAL_CONFIGURATION");
  const preAuthorizedCode = generatePreAuthorizedCode();
  const txCode = args.txCodeLength ? await generateTxCode(args.txCodeLength) : undefined;
  const created = await createCredentialOffer({
    config: args.config,
    preAuthorizedCode,
    ...(args.txCodeLength ? { txCode: { length: args.txCodeLength, inputMode: "numeric" as const, description: args.txCodeDescription } } : {}),
    ...(args.walletUrl ? { walletUrl: args.walletUrl } : {}),
    credentialConfigurationId,
  });
  await args.store.createOffer({
    offer: {
      id: args.id,
      credentialConfigurationId,
      codeHash: await hashSecret(preAuthorizedCode),
      txCodeHash: txCode ? await hashSecret(txCode) : null,
      expiresAt: args.expiresAt,
    },
  });
  return { ...created, txCode, expiresAt: args.expiresAt };
}

const REDEEM_ERRORS = {
  unknown: "ERR_OFFER_UNKNOWN",
  expired: "ERR_OFFER_EXPIRED",
  already_used: "ERR_OFFER_ALREADY_USED",
  tx_code_required: "ERR_TX_CODE_REQUIRED",
  tx_code_wrong: "ERR_TX_CODE_WRONG",
  tx_code_locked: "ERR_TX_CODE_LOCKED",
} as const;

/**
 * `POST <token endpoint>` (form-encoded, grant type pre-authorised code): redeems the code once,
 * checks the PIN, answers with a Bearer access token and a c_nonce.
 * @example
 * export async function POST(req: Request) { return toResponse(await handleTokenRequest(req, deps)); }
 */
export function handleTokenRequest(request: Request, deps: IssuanceDeps): Promise<HandlerResponse> {
  return guard(async () => {
    requireMethod(request, "POST");
    const contentType = request.headers.get("content-type") ?? "";
    if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      throw new IssuanceError("ERR_INVALID_REQUEST", { detail: "The body must be form-encoded." });
    }
    const form = Object.fromEntries(new URLSearchParams(await request.text()));
    const server = new Oauth2AuthorizationServer({ callbacks: serverCallbacks });
    let grant;
    try {
      ({ grant } = server.parseAccessTokenRequest({ request: requestLike(request), accessTokenRequest: form }));
    } catch (cause) {
      const oauth = cause instanceof Oauth2ServerErrorResponseError ? cause.errorResponse.error : undefined;
      throw new IssuanceError(oauth === "unsupported_grant_type" ? "ERR_UNSUPPORTED_GRANT_TYPE" : "ERR_INVALID_REQUEST", { cause });
    }
    if (grant.grantType !== "urn:ietf:params:oauth:grant-type:pre-authorized_code") throw new IssuanceError("ERR_UNSUPPORTED_GRANT_TYPE");

    const now = deps.now?.() ?? new Date();
    const redeemed = await deps.store.redeemPreAuthorizedCode({
      codeHash: await hashOf(deps, grant.preAuthorizedCode),
      txCodeHash: grant.txCode ? await hashOf(deps, grant.txCode) : null,
      now,
      maxTxCodeAttempts: deps.maxTxCodeAttempts ?? 5,
    });
    if (!redeemed.ok) {
      throw new IssuanceError(REDEEM_ERRORS[redeemed.reason], redeemed.reason === "tx_code_wrong" ? { attemptsLeft: redeemed.attemptsLeft } : {});
    }

    const accessToken = randomToken();
    const tokenTtl = deps.accessTokenTtlSeconds ?? 300;
    await deps.store.saveAccessToken({
      token: { tokenHash: await hashOf(deps, accessToken), offerId: redeemed.offer.id, expiresAt: new Date(now.getTime() + tokenTtl * 1000) },
    });
    // OpenID4VCI 1.0 takes nonces from the nonce endpoint; the token response keeps one for wallets
    // written against the drafts before it (free with sealed nonces: nothing is stored).
    const nonces = nonceServiceOf(deps);
    return ok({ access_token: accessToken, token_type: "Bearer", expires_in: tokenTtl, c_nonce: await nonces.create(now), c_nonce_expires_in: nonces.ttlSeconds });
  });
}

const storedNonces = new WeakMap<OfferStore, NonceService>();
function nonceServiceOf(deps: Pick<IssuanceDeps, "store" | "nonces" | "nonceTtlSeconds" | "hashSecret">): NonceService {
  if (deps.nonces) return deps.nonces;
  let n = storedNonces.get(deps.store);
  if (!n || n.ttlSeconds !== (deps.nonceTtlSeconds ?? 300)) {
    n = createStoredNonces({ store: deps.store, ...(deps.nonceTtlSeconds ? { ttlSeconds: deps.nonceTtlSeconds } : {}), ...(deps.hashSecret ? { hashSecret: deps.hashSecret } : {}) });
    storedNonces.set(deps.store, n);
  }
  return n;
}

/**
 * `POST <nonce endpoint>` (OpenID4VCI 1.0 section 7): a fresh single-use c_nonce for the holder's
 * key proof, `{ "c_nonce": "..." }`, never cached (`Cache-Control: no-store`).
 * @example
 * export async function POST(req: Request) { return toResponse(await handleNonceRequest(req, deps)); }
 */
export function handleNonceRequest(request: Request, deps: Pick<IssuanceDeps, "store" | "now" | "nonces" | "nonceTtlSeconds" | "hashSecret">): Promise<HandlerResponse> {
  return guard(async () => {
    requireMethod(request, "POST");
    const nonce = await nonceServiceOf(deps).create(deps.now?.() ?? new Date());
    return ok(new Openid4vciIssuer({ callbacks: serverCallbacks }).createNonceResponse({ cNonce: nonce }));
  });
}

function bearerToken(request: Request): string {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw new IssuanceError("ERR_INVALID_TOKEN", { detail: "Send the access token as a Bearer token." });
  return match[1];
}

async function readJson(request: Request, code: "ERR_INVALID_CREDENTIAL_REQUEST" | "ERR_INVALID_NOTIFICATION_REQUEST"): Promise<Record<string, unknown>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) throw new IssuanceError(code, { detail: "The body must be JSON." });
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch (cause) {
    throw new IssuanceError(code, { detail: "The body is not valid JSON.", cause });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new IssuanceError(code, { detail: "The body must be a JSON object." });
  return body as Record<string, unknown>;
}

/**
 * `POST <credential endpoint>`: checks the access token and the holder's key proofs (signature,
 * `typ`, `aud`, fresh `iat`, single-use `nonce`, no `alg: none`), then asks `issueCredential` to
 * sign one credential per proof, each bound to its holder key. A batch (`proofs.jwt` with several
 * proofs, up to `batchSize`) shares one nonce and uses a different key per proof, so the wallet
 * holds unlinkable copies. Errors carry the OpenID4VCI 1.0 codes (`invalid_credential_request`,
 * `unknown_credential_configuration`, `invalid_proof`, `invalid_nonce`, `credential_request_denied`).
 * @example
 * export async function POST(req: Request) { return toResponse(await handleCredentialRequest(req, deps)); }
 */
export function handleCredentialRequest(request: Request, deps: IssuanceDeps): Promise<HandlerResponse> {
  return guard(async () => {
    requireMethod(request, "POST", "ERR_INVALID_CREDENTIAL_REQUEST");
    const now = deps.now?.() ?? new Date();
    const tokenHash = await hashOf(deps, bearerToken(request));
    const offer = await deps.store.findAccessToken({ tokenHash, now });
    if (!offer) throw new IssuanceError("ERR_INVALID_TOKEN");

    const body = await readJson(request, "ERR_INVALID_CREDENTIAL_REQUEST");
    const metadata = cachedMetadata(deps.config);
    const issuer = new Openid4vciIssuer({ callbacks: serverCallbacks });
    let parsed: ParseCredentialRequestReturn;
    try {
      parsed = issuer.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: body });
    } catch (cause) {
      const unknownId = typeof body.credential_configuration_id === "string";
      throw new IssuanceError(unknownId ? "ERR_UNKNOWN_CREDENTIAL_CONFIGURATION" : "ERR_INVALID_CREDENTIAL_REQUEST", { cause });
    }
    if (parsed.credentialConfigurationId === undefined) {
      throw new IssuanceError("ERR_INVALID_CREDENTIAL_REQUEST", { detail: "Name the credential_configuration_id." });
    }
    if (parsed.credentialConfigurationId !== offer.credentialConfigurationId) throw new IssuanceError("ERR_UNKNOWN_CREDENTIAL_CONFIGURATION");
    const format = credentialFormatOf(deps.config, parsed.credentialConfigurationId);
    if (!format) throw new IssuanceError("ERR_UNKNOWN_CREDENTIAL_CONFIGURATION");
    const jwts = parsed.proofs?.jwt;
    if (!jwts || jwts.length === 0 || Object.keys(parsed.proofs ?? {}).length !== 1) {
      throw new IssuanceError("ERR_INVALID_PROOF", { detail: "Send one or more proofs of type jwt." });
    }
    const batchSize = cachedConfig(deps.config).batchSize;
    if (jwts.length > batchSize) throw new IssuanceError("ERR_INVALID_CREDENTIAL_REQUEST", { detail: `At most ${batchSize} proofs per request.` });

    const holders = await verifyProofs(jwts as string[], { deps, metadata, now });
    // One nonce for the whole batch, spent once.
    if (!(await nonceServiceOf(deps).consume(holders.nonce, now))) throw new IssuanceError("ERR_INVALID_NONCE");

    // Spent only now, so a wallet whose proof failed can retry with the same token.
    const spent = await deps.store.consumeAccessToken({ tokenHash, now });
    if (!spent) throw new IssuanceError("ERR_INVALID_TOKEN");

    const credentials: { credential: string }[] = [];
    for (const [index, h] of holders.keys.entries()) {
      try {
        credentials.push({
          credential: await deps.issueCredential({ offer: spent, holderDid: h.did, holderJwk: h.jwk, credentialConfigurationId: parsed.credentialConfigurationId, format, index }),
        });
      } catch (cause) {
        if (cause instanceof IssuanceError && cause.code === "ERR_CREDENTIAL_REQUEST_DENIED") throw cause;
        throw new IssuanceError("ERR_ISSUANCE_FAILED", { cause });
      }
    }
    const recorded = deps.recordIssuance
      ? await deps.recordIssuance({ offer: spent, holders: holders.keys, credentialConfigurationId: parsed.credentialConfigurationId, format, tokenHash, now })
      : undefined;
    const notificationId = cachedConfig(deps.config).notifications ? recorded?.notificationId : undefined;
    const response = issuer.createCredentialResponse({ credentialRequest: parsed, credentials });
    return ok({ ...response, ...(notificationId ? { notification_id: notificationId } : {}) });
  });
}

/**
 * Checks every proof of a request (any failure refuses the whole request: no partial issuance):
 * signature, typ, aud, fresh iat, one nonce shared by all, a different key per proof.
 */
async function verifyProofs(
  jwts: readonly string[],
  ctx: { deps: IssuanceDeps; metadata: IssuerMetadataResult; now: Date },
): Promise<{ nonce: string; keys: { did: string; jwk: Jwk }[] }> {
  const issuer = new Openid4vciIssuer({ callbacks: serverCallbacks });
  const nowSeconds = Math.floor(ctx.now.getTime() / 1000);
  const keys: { did: string; jwk: Jwk }[] = [];
  let nonce: string | undefined;
  for (const jwt of jwts) {
    let verified;
    try {
      verified = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: ctx.metadata, jwt, now: ctx.now });
    } catch (cause) {
      throw new IssuanceError("ERR_INVALID_PROOF", { cause });
    }
    const { payload, signer } = verified;
    if (payload.iat < nowSeconds - (ctx.deps.proofMaxAgeSeconds ?? 300) || payload.iat > nowSeconds + (ctx.deps.clockSkewSeconds ?? 60)) {
      throw new IssuanceError("ERR_INVALID_PROOF", { detail: "The proof's iat is not fresh." });
    }
    if (!payload.nonce) throw new IssuanceError("ERR_INVALID_NONCE");
    if (nonce !== undefined && payload.nonce !== nonce) throw new IssuanceError("ERR_INVALID_PROOF", { detail: "All proofs of a batch carry the same nonce." });
    nonce = payload.nonce;
    const did = signer.method === "did" ? (signer.didUrl.split("#")[0] as string) : holderDidFromJwk(signer.publicJwk);
    if (keys.some((k) => k.did === did)) throw new IssuanceError("ERR_INVALID_PROOF", { detail: "Each proof of a batch uses its own key." });
    keys.push({ did, jwk: signer.publicJwk });
  }
  return { nonce: nonce as string, keys };
}

/**
 * `POST <notification endpoint>` (OpenID4VCI 1.0 section 11): the wallet says a credential was
 * accepted, failed or deleted. Needs the access token of the credential request as Bearer token
 * and `deps.handleNotification`; answers 204, or 400 `invalid_notification_id` /
 * `invalid_notification_request`.
 * @example
 * export async function POST(req: Request) { return toResponse(await handleNotificationRequest(req, deps)); }
 */
export function handleNotificationRequest(request: Request, deps: IssuanceDeps): Promise<HandlerResponse> {
  return guard(async () => {
    requireMethod(request, "POST", "ERR_INVALID_NOTIFICATION_REQUEST");
    const tokenHash = await hashOf(deps, bearerToken(request));
    const body = await readJson(request, "ERR_INVALID_NOTIFICATION_REQUEST");
    const parsed = NotificationRequest.safeParse(body);
    if (!parsed.success) throw new IssuanceError("ERR_INVALID_NOTIFICATION_REQUEST", { cause: parsed.error });
    if (!deps.handleNotification) throw new IssuanceError("ERR_INVALID_NOTIFICATION_ID");
    const known = await deps.handleNotification({
      notificationId: parsed.data.notification_id,
      event: parsed.data.event,
      ...(parsed.data.event_description !== undefined ? { description: parsed.data.event_description } : {}),
      tokenHash,
      now: deps.now?.() ?? new Date(),
    });
    if (!known) throw new IssuanceError("ERR_INVALID_NOTIFICATION_ID");
    return { status: 204, headers: { ...CORS_HEADERS, "cache-control": "no-store" }, body: undefined };
  });
}

/**
 * What every unknown path under `/.well-known/` (and the OpenID4VCI routes) should answer: JSON,
 * never an HTML page (clients such as Sphereon's JSON-parse whatever comes back).
 * @example
 * export const GET = () => toResponse(handleUnknownPath());
 */
export function handleUnknownPath(): HandlerResponse {
  return { status: 404, headers: { ...JSON_HEADERS }, body: { error: "not_found", error_description: "Nothing is published at this path." } };
}

function holderDidFromJwk(jwk: Jwk): string {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") {
    throw new IssuanceError("ERR_INVALID_PROOF", { detail: "Only Ed25519 holder keys are supported." });
  }
  return didJwkFromPublicJwk({ kty: "OKP", crv: "Ed25519", x: jwk.x });
}
