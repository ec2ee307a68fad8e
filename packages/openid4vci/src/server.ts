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
import {
  buildAuthorizationServerMetadata,
  buildIssuerMetadata,
  issuerMetadataResult,
  resolveIssuerConfig,
  type IssuerConfig,
} from "./metadata";
import { createCredentialOffer, generatePreAuthorizedCode, generateTxCode, type CreatedCredentialOffer } from "./offer";
import { hashSecret, type OfferStore, type StoredOffer } from "./store";

export interface HandlerResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface IssuanceDeps {
  /** Treated as immutable: the metadata built from it is cached per object. */
  config: IssuerConfig;
  store: OfferStore;
  /** Signs the credential for the holder (the issuer uses @haki/credentials/sign). Returns a VC-JWT. */
  issueCredential(args: { offer: StoredOffer; holderDid: string; holderJwk: Jwk }): Promise<string>;
  now?: () => Date;
  /**
   * SHA-256 hex of a secret, as `hashSecret` computes it. Servers may pass a synchronous
   * node:crypto one: Web Crypto's digest is a thread-pool job costing more than the hash itself
   * (two per credential request; about 5% of a loaded issuer's CPU). Must equal `hashSecret`.
   */
  hashSecret?: (secret: string) => string | Promise<string>;
  /** Default 300 s. */
  accessTokenTtlSeconds?: number;
  /** Default 300 s. */
  nonceTtlSeconds?: number;
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
  "access-control-expose-headers": "www-authenticate",
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

const hashOf = (deps: Pick<IssuanceDeps, "hashSecret">, secret: string) => (deps.hashSecret ?? hashSecret)(secret);

async function guard(run: () => Promise<HandlerResponse>): Promise<HandlerResponse> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof IssuanceError) return errorResponse(error);
    return errorResponse(new IssuanceError("ERR_ISSUANCE_FAILED", { cause: error }));
  }
}

function requireMethod(request: Request, method: string): void {
  if (request.method.toUpperCase() !== method) throw new IssuanceError("ERR_INVALID_REQUEST", { detail: `Use ${method}.` });
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
}): Promise<RegisteredOffer> {
  const config = resolveIssuerConfig(args.config);
  const preAuthorizedCode = generatePreAuthorizedCode();
  const txCode = args.txCodeLength ? await generateTxCode(args.txCodeLength) : undefined;
  const created = await createCredentialOffer({
    config: args.config,
    preAuthorizedCode,
    ...(args.txCodeLength ? { txCode: { length: args.txCodeLength, inputMode: "numeric" as const, description: args.txCodeDescription } } : {}),
    ...(args.walletUrl ? { walletUrl: args.walletUrl } : {}),
  });
  await args.store.createOffer({
    offer: {
      id: args.id,
      credentialConfigurationId: config.credentialConfigurationId,
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
    const nonce = await createNonce(deps, now);
    return ok({ access_token: accessToken, token_type: "Bearer", expires_in: tokenTtl, c_nonce: nonce.c_nonce, c_nonce_expires_in: nonce.c_nonce_expires_in });
  });
}

async function createNonce(deps: IssuanceDeps, now: Date) {
  const cNonce = randomToken();
  const ttl = deps.nonceTtlSeconds ?? 300;
  await deps.store.saveNonce({ nonceHash: await hashOf(deps, cNonce), expiresAt: new Date(now.getTime() + ttl * 1000) });
  return new Openid4vciIssuer({ callbacks: serverCallbacks }).createNonceResponse({ cNonce, cNonceExpiresIn: ttl });
}

/**
 * `POST <nonce endpoint>`: a fresh single-use c_nonce for the holder's key proof.
 * @example
 * export async function POST(req: Request) { return toResponse(await handleNonceRequest(req, deps)); }
 */
export function handleNonceRequest(request: Request, deps: Pick<IssuanceDeps, "store" | "now" | "nonceTtlSeconds" | "hashSecret">): Promise<HandlerResponse> {
  return guard(async () => {
    requireMethod(request, "POST");
    return ok(await createNonce(deps as IssuanceDeps, deps.now?.() ?? new Date()));
  });
}

function bearerToken(request: Request): string {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match?.[1]) throw new IssuanceError("ERR_INVALID_TOKEN", { detail: "Send the access token as a Bearer token." });
  return match[1];
}

async function readJson(request: Request): Promise<Record<string, unknown>> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/json")) throw new IssuanceError("ERR_INVALID_REQUEST", { detail: "The body must be JSON." });
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch (cause) {
    throw new IssuanceError("ERR_INVALID_REQUEST", { detail: "The body is not valid JSON.", cause });
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new IssuanceError("ERR_INVALID_REQUEST", { detail: "The body must be a JSON object." });
  return body as Record<string, unknown>;
}

/**
 * `POST <credential endpoint>`: checks the access token and the holder's key proof (signature,
 * `typ`, `aud`, fresh `iat`, single-use `nonce`, no `alg: none`), then asks `issueCredential` to
 * sign a credential bound to the holder's DID.
 * @example
 * export async function POST(req: Request) { return toResponse(await handleCredentialRequest(req, deps)); }
 */
export function handleCredentialRequest(request: Request, deps: IssuanceDeps): Promise<HandlerResponse> {
  return guard(async () => {
    requireMethod(request, "POST");
    const now = deps.now?.() ?? new Date();
    const tokenHash = await hashOf(deps, bearerToken(request));
    const offer = await deps.store.findAccessToken({ tokenHash, now });
    if (!offer) throw new IssuanceError("ERR_INVALID_TOKEN");

    const body = await readJson(request);
    const metadata = cachedMetadata(deps.config);
    const issuer = new Openid4vciIssuer({ callbacks: serverCallbacks });
    let parsed: ParseCredentialRequestReturn;
    try {
      parsed = issuer.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: body });
    } catch (cause) {
      const unknownId = typeof body.credential_configuration_id === "string";
      throw new IssuanceError(unknownId ? "ERR_UNKNOWN_CREDENTIAL_CONFIGURATION" : "ERR_INVALID_REQUEST", { cause });
    }
    if (parsed.credentialConfigurationId === undefined) {
      throw new IssuanceError("ERR_INVALID_REQUEST", { detail: "Name the credential_configuration_id." });
    }
    if (parsed.credentialConfigurationId !== offer.credentialConfigurationId) throw new IssuanceError("ERR_UNKNOWN_CREDENTIAL_CONFIGURATION");
    const jwts = parsed.proofs?.jwt;
    if (!jwts || jwts.length !== 1 || Object.keys(parsed.proofs ?? {}).length !== 1) {
      throw new IssuanceError("ERR_INVALID_PROOF", { detail: "Send exactly one proof of type jwt." });
    }
    const proofJwt = jwts[0] as string;

    let verified;
    try {
      verified = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: metadata, jwt: proofJwt, now });
    } catch (cause) {
      throw new IssuanceError("ERR_INVALID_PROOF", { cause });
    }
    const { payload, signer } = verified;
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (payload.iat < nowSeconds - (deps.proofMaxAgeSeconds ?? 300) || payload.iat > nowSeconds + (deps.clockSkewSeconds ?? 60)) {
      throw new IssuanceError("ERR_INVALID_PROOF", { detail: "The proof's iat is not fresh." });
    }
    if (!payload.nonce || !(await deps.store.consumeNonce({ nonceHash: await hashOf(deps, payload.nonce), now }))) {
      throw new IssuanceError("ERR_INVALID_NONCE");
    }
    const holderDid = signer.method === "did" ? (signer.didUrl.split("#")[0] as string) : holderDidFromJwk(signer.publicJwk);

    // Spent only now, so a wallet whose proof failed can retry with the same token.
    const spent = await deps.store.consumeAccessToken({ tokenHash, now });
    if (!spent) throw new IssuanceError("ERR_INVALID_TOKEN");

    let credential: string;
    try {
      credential = await deps.issueCredential({ offer: spent, holderDid, holderJwk: signer.publicJwk });
    } catch (cause) {
      throw new IssuanceError("ERR_ISSUANCE_FAILED", { cause });
    }
    return ok(issuer.createCredentialResponse({ credentialRequest: parsed, credentials: [{ credential }] }));
  });
}

function holderDidFromJwk(jwk: Jwk): string {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") {
    throw new IssuanceError("ERR_INVALID_PROOF", { detail: "Only Ed25519 holder keys are supported." });
  }
  return didJwkFromPublicJwk({ kty: "OKP", crv: "Ed25519", x: jwk.x });
}
