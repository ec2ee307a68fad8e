/**
 * Wallet side of OpenID4VP 1.0 with DCQL, on @openid4vc/openid4vp: read a request (by value or by
 * reference), say who asks and how that was checked, match the DCQL query against the cards held
 * and list exactly which claims would be shared, refuse what goes beyond the person's consent, then
 * build the (encrypted) answer and post it. Browser-safe: Web Crypto, jose, an injected fetch.
 */
import { allowLoopbackHttp, isAcceptableUrl, urlsOfRequestLink } from "./lib/urls";
import {
  Openid4vpClient,
  type Openid4vpAuthorizationRequest,
  type ResolvedOpenid4vpAuthorizationRequest,
} from "@openid4vc/openid4vp";
import { DcqlQuery, type DcqlCredential } from "dcql";
import { Openid4vpError } from "./errors";
import type { ClaimPath, DisclosedClaim, HeldCredential, WalletFormat } from "./formats/adapter";
import { RESPONSE_ENC_VALUES, RESPONSE_KEY_ALG, libraryCallbacks, randomToken } from "./lib/jose";
import { describe, step } from "./lib/library-errors";

type Fetch = typeof globalThis.fetch;

/** Client id prefixes this wallet can authenticate (OpenID4VP 1.0 section 5.9.3), and pre-registered ids. */
export const SUPPORTED_CLIENT_PREFIXES = ["decentralized_identifier", "redirect_uri", "pre-registered"] as const;

export type VerifierAuthentication =
  /** The request object is signed by the key of the DID in the client id (did:key, did:jwk). */
  | "signed-by-did"
  /** The client id is one this wallet was configured with. */
  | "pre-registered"
  /** Nothing proves who asks; only where the answer goes is known (`redirect_uri:` prefix). */
  | "none";

/** Who asks, as far as the wallet can tell. */
export interface VerifierIdentity {
  clientId: string;
  prefix: string;
  identifier: string;
  authentication: VerifierAuthentication;
  /** `client_metadata.client_name`: what the verifier calls itself (not checked). */
  name?: string;
  /** The name this wallet knows the verifier by (its list of known verifiers), when it does. */
  knownAs?: string;
  /** The host the answer is sent to. */
  responseHost: string;
  /** Whether the answer is encrypted to the verifier (`direct_post.jwt`). */
  encrypted: boolean;
  /** Plain words for the consent screen. */
  statement: string;
}

export interface ResolvedPresentationRequest {
  verifier: VerifierIdentity;
  query: DcqlQuery.Output;
  /** The request as verified (signature, client id rules) by the library. */
  payload: Openid4vpAuthorizationRequest;
  resolved: ResolvedOpenid4vpAuthorizationRequest;
}

export interface ReadRequestOptions {
  fetch?: Fetch;
  /** Client ids this wallet knows, with the name to show (e.g. a programme's service points from its trust bundle). */
  knownVerifiers?: Readonly<Record<string, string>>;
  /** Pre-registered client ids (no prefix) and their names. */
  preRegistered?: Readonly<Record<string, string>>;
}

function library(fetchImpl?: Fetch): Openid4vpClient {
  return new Openid4vpClient({ callbacks: libraryCallbacks(fetchImpl ? { fetch: fetchImpl } : {}) });
}

function statementFor(v: Omit<VerifierIdentity, "statement">): string {
  const who = v.knownAs ?? v.name;
  switch (v.authentication) {
    case "signed-by-did":
      return v.knownAs
        ? `${v.knownAs} asks. Its request is signed with its own key.`
        : `${who ? `"${who}"` : "A verifier"} asks. Its request is signed by ${v.identifier}, which this phone does not know.`;
    case "pre-registered":
      return `${who ?? v.identifier} asks (a verifier this phone was set up with).`;
    case "none":
      return `${who ? `Something calling itself "${who}"` : "Someone"} asks. This cannot be checked; the answer would go to ${v.responseHost}.`;
  }
}

function hostOf(uri: string): string | undefined {
  try {
    return new URL(uri).host || undefined;
  } catch {
    return undefined;
  }
}

function identify(resolved: ResolvedOpenid4vpAuthorizationRequest, options: ReadRequestOptions): VerifierIdentity {
  const payload = resolved.authorizationRequestPayload as Openid4vpAuthorizationRequest;
  const client = resolved.client as { prefix: string; identifier: string; effective: string };
  if (!(SUPPORTED_CLIENT_PREFIXES as readonly string[]).includes(client.prefix)) {
    throw new Openid4vpError("ERR_VP_CLIENT_UNSUPPORTED", `This app cannot check verifiers that identify with "${client.prefix}". Nothing was shared.`);
  }
  if (client.prefix === "pre-registered" && !options.preRegistered?.[client.identifier]) {
    throw new Openid4vpError("ERR_VP_CLIENT_UNTRUSTED", "This verifier is not one this phone was set up with. Nothing was shared.");
  }
  if (client.prefix === "decentralized_identifier" && !resolved.jar) throw new Openid4vpError("ERR_VP_CLIENT_UNTRUSTED");
  const responseUri = payload.response_uri ?? payload.redirect_uri ?? "";
  const responseHost = hostOf(responseUri);
  if (!responseHost) throw new Openid4vpError("ERR_VP_REQUEST_INVALID", "This request does not say where to send the answer.");
  const name = payload.client_metadata?.client_name;
  const knownAs = client.prefix === "pre-registered" ? options.preRegistered?.[client.identifier] : options.knownVerifiers?.[client.effective];
  const identity: Omit<VerifierIdentity, "statement"> = {
    clientId: client.effective,
    prefix: client.prefix,
    identifier: client.identifier,
    authentication: client.prefix === "decentralized_identifier" ? "signed-by-did" : client.prefix === "pre-registered" ? "pre-registered" : "none",
    ...(name ? { name } : {}),
    ...(knownAs ? { knownAs } : {}),
    responseHost,
    encrypted: payload.response_mode === "direct_post.jwt",
  };
  return { ...identity, statement: statementFor(identity) };
}

/**
 * Reads a scanned or opened request: `openid4vp://?client_id=...&request_uri=...` (fetched), a request
 * by value (`request=`), or plain parameters. Verifies a signed request object and the client id
 * rules. Throws `ERR_VP_REQUEST_INVALID`, `ERR_VP_REQUEST_UNREACHABLE`, `ERR_VP_CLIENT_UNSUPPORTED`,
 * `ERR_VP_CLIENT_UNTRUSTED`.
 *
 * @example
 * const request = await readPresentationRequest(scannedText, { knownVerifiers });
 * show(request.verifier.statement);
 */
export async function readPresentationRequest(link: string, options: ReadRequestOptions = {}): Promise<ResolvedPresentationRequest> {
  allowLoopbackHttp(urlsOfRequestLink(link));
  const client = library(options.fetch);
  const parsed = await step("ERR_VP_REQUEST_INVALID", () => client.parseOpenid4vpAuthorizationRequest({ authorizationRequest: link.trim() }));
  if (parsed.type === "openid4vp_dc_api") throw new Openid4vpError("ERR_VP_REQUEST_INVALID", "This request is meant for a browser's digital credentials API.");
  const resolved = await step(
    "ERR_VP_REQUEST_INVALID",
    () => client.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params }),
    (detail) =>
      /fetch|request_uri/i.test(detail) && /fail/i.test(detail)
        ? "ERR_VP_REQUEST_UNREACHABLE"
        : /signature|verif|not valid|signed/i.test(detail)
          ? "ERR_VP_CLIENT_UNTRUSTED"
          : /client identifier prefix|not supported|Unsupported client/i.test(detail)
            ? "ERR_VP_CLIENT_UNSUPPORTED"
            : undefined,
  );
  const payload = resolved.authorizationRequestPayload as Openid4vpAuthorizationRequest;
  if (payload.response_mode !== "direct_post.jwt" && payload.response_mode !== "direct_post") {
    throw new Openid4vpError("ERR_VP_REQUEST_INVALID", "This request asks for an answer through the browser, which this app does not do.");
  }
  const answerUrl = payload.response_uri ?? payload.redirect_uri ?? "";
  if (answerUrl && !isAcceptableUrl(answerUrl)) throw new Openid4vpError("ERR_VP_REQUEST_INVALID", "This request would send the answer over an unprotected connection.");
  if (!resolved.dcql) throw new Openid4vpError("ERR_VP_REQUEST_INVALID", "This request does not use DCQL, the query language this app reads.");
  const query = await step("ERR_VP_REQUEST_INVALID", () => {
    const q = DcqlQuery.parse(resolved.dcql!.query as DcqlQuery.Input);
    DcqlQuery.validate(q);
    return q;
  });
  return { verifier: identify(resolved, options), query, payload, resolved };
}

/** One credential the wallet would send, and every claim the verifier would see from it. */
export interface PlannedCredential {
  queryId: string;
  credential: HeldCredential;
  format: string;
  /** The claims the query asked for (undefined: it named none, the whole credential is asked). */
  requested: ClaimPath[] | undefined;
  /** Every claim that would reach the verifier. */
  disclosed: DisclosedClaim[];
  /** Disclosed claims the query did not ask for (a format that cannot hide claims). */
  beyondRequest: DisclosedClaim[];
  /** Other held credentials that could answer this query instead. */
  alternatives: string[];
}

export interface PresentationPlan {
  request: ResolvedPresentationRequest;
  credentials: PlannedCredential[];
}

/** True when `prefix` is `path` or one of its ancestors (`null` in the prefix matches any index). */
export function coversPath(prefix: ClaimPath, path: ClaimPath): boolean {
  return prefix.length <= path.length && prefix.every((p, i) => p === null || p === path[i]);
}

function requiredQueryIds(query: DcqlQuery.Output, matched: (id: string) => boolean): string[] | undefined {
  if (!query.credential_sets) return query.credentials.every((c) => matched(c.id)) ? query.credentials.map((c) => c.id) : undefined;
  const ids: string[] = [];
  for (const set of query.credential_sets) {
    // Only required sets: an optional one is left out, which shares less.
    if (set.required === false) continue;
    const option = set.options.find((o) => o.every(matched));
    if (!option) return undefined;
    ids.push(...option);
  }
  return [...new Set(ids)];
}

/**
 * Matches the request's DCQL query against the credentials held, and lists, per credential, exactly
 * what would be shared. Throws `ERR_VP_NO_MATCH` when the cards held cannot answer.
 *
 * @example
 * const plan = planPresentation(request, wallet.cards, [jwtVcJsonWallet(holderKey)]);
 * plan.credentials[0].disclosed; // [{ path: ["credentialSubject", "programme", "id"], value: "cash-for-work" }, ...]
 */
export function planPresentation(request: ResolvedPresentationRequest, held: readonly HeldCredential[], formats: readonly WalletFormat[]): PresentationPlan {
  const usable: Array<{ held: HeldCredential; format: WalletFormat; dcql: DcqlCredential }> = [];
  for (const h of held) {
    const format = formats.find((f) => f.format === h.format);
    if (!format) continue;
    try {
      usable.push({ held: h, format, dcql: format.toDcqlCredential(h) });
    } catch {
      // A card this format cannot read is not offered.
    }
  }
  const result = DcqlQuery.query(request.query, usable.map((u) => u.dcql) as never);
  const matchOf = (id: string) => {
    const m = (result.credential_matches as Record<string, { success: boolean; valid_credentials?: Array<{ input_credential_index: number; claims: { valid_claim_sets?: Array<{ valid_claim_indexes?: number[] }> } }> }>)[id];
    return m?.success ? m : undefined;
  };
  const ids = requiredQueryIds(request.query, (id) => matchOf(id) !== undefined);
  if (!ids) throw new Openid4vpError("ERR_VP_NO_MATCH");
  const credentials = ids.map((queryId): PlannedCredential => {
    const asked = request.query.credentials.find((c) => c.id === queryId)!;
    const valid = matchOf(queryId)!.valid_credentials ?? [];
    const first = valid[0]!;
    const chosen = usable[first.input_credential_index]!;
    const claimIndexes = first.claims.valid_claim_sets?.[0]?.valid_claim_indexes;
    const queryClaims = (asked.claims ?? []) as Array<{ path: ClaimPath }>;
    const requested = queryClaims.length === 0 ? undefined : (claimIndexes ?? queryClaims.map((_, i) => i)).map((i) => queryClaims[i]!.path);
    const disclosed = chosen.format.disclosedClaims(chosen.held, requested);
    return {
      queryId,
      credential: chosen.held,
      format: chosen.held.format,
      requested,
      disclosed,
      beyondRequest: requested === undefined ? [] : disclosed.filter((d) => !requested.some((r) => coversPath(r, d.path))),
      alternatives: valid.slice(1).map((v) => usable[v.input_credential_index]!.held.id),
    };
  });
  return { request, credentials };
}

/** The claims of a plan that the person did not agree to share. */
export function claimsBeyondConsent(plan: PresentationPlan, agreed: readonly ClaimPath[]): Array<DisclosedClaim & { queryId: string }> {
  return plan.credentials.flatMap((c) => c.disclosed.filter((d) => !agreed.some((a) => coversPath(a, d.path))).map((d) => ({ ...d, queryId: c.queryId })));
}

/** Refused: the answer would share claims the person did not agree to. `claims` lists them. */
export class ConsentExceededError extends Openid4vpError {
  readonly claims: ClaimPath[];
  constructor(claims: ClaimPath[]) {
    super("ERR_VP_CONSENT_EXCEEDED");
    this.claims = claims;
  }
}

export interface PresentationAnswer {
  /** Where to post it. */
  responseUri: string;
  /** The form body (`response=<JWE>` for direct_post.jwt). */
  body: string;
  /** What was encrypted (tests and logs on the phone only). */
  vpToken: Record<string, Array<string | Record<string, unknown>>>;
}

/**
 * Builds the answer for a plan, after checking it shares nothing beyond `agreed` (claim paths the
 * person accepted on the consent screen; a path covers everything under it). Throws
 * `ConsentExceededError` (`ERR_VP_CONSENT_EXCEEDED`) otherwise: nothing is built, nothing sent.
 *
 * @example
 * const answer = await createPresentationAnswer(plan, formats, { agreed: plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path)) });
 * await submitPresentationAnswer(answer, plan);
 */
export async function createPresentationAnswer(plan: PresentationPlan, formats: readonly WalletFormat[], consent: { agreed: readonly ClaimPath[] }): Promise<PresentationAnswer> {
  const beyond = claimsBeyondConsent(plan, consent.agreed);
  if (beyond.length > 0) throw new ConsentExceededError(beyond.map((b) => b.path));
  const { payload } = plan.request;
  allowLoopbackHttp([payload.response_uri, payload.redirect_uri]);
  const vpToken: PresentationAnswer["vpToken"] = {};
  for (const c of plan.credentials) {
    const format = formats.find((f) => f.format === c.format);
    if (!format) throw new Openid4vpError("ERR_VP_FORMAT_UNSUPPORTED");
    const presentation = await format.present(c.credential, { requested: c.requested, nonce: payload.nonce, audience: plan.request.verifier.clientId });
    (vpToken[c.queryId] ??= []).push(presentation);
  }
  const encrypted = payload.response_mode === "direct_post.jwt";
  const created = await step("ERR_VP_REQUEST_INVALID", () =>
    library().createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: payload,
      authorizationResponsePayload: { vp_token: vpToken as never },
      ...(encrypted
        ? {
            jarm: {
              encryption: { nonce: randomToken(16) },
              serverMetadata: {
                authorization_signing_alg_values_supported: [],
                authorization_encryption_alg_values_supported: [RESPONSE_KEY_ALG],
                authorization_encryption_enc_values_supported: [...RESPONSE_ENC_VALUES],
              },
            },
          }
        : {}),
    }),
  );
  const responseUri = payload.response_uri ?? "";
  const body = created.jarm
    ? new URLSearchParams({ response: created.jarm.responseJwt }).toString()
    : new URLSearchParams(
        Object.entries(created.authorizationResponsePayload).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
      ).toString();
  return { responseUri, body, vpToken };
}

/**
 * Posts the answer to the verifier's response URI. Returns the `redirect_uri` the verifier may send
 * back. Throws `ERR_VP_SUBMIT_FAILED`.
 *
 * @example
 * const { redirectUri } = await submitPresentationAnswer(answer, { fetch });
 */
export async function submitPresentationAnswer(answer: PresentationAnswer, options: { fetch?: Fetch } = {}): Promise<{ status: number; redirectUri?: string }> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchImpl(answer.responseUri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: answer.body,
    });
  } catch (cause) {
    throw new Openid4vpError("ERR_VP_SUBMIT_FAILED", undefined, { cause });
  }
  if (!response.ok) throw new Openid4vpError("ERR_VP_SUBMIT_FAILED", `The verifier refused the answer (HTTP ${response.status}).`);
  let redirectUri: string | undefined;
  try {
    const json = (await response.json()) as { redirect_uri?: unknown };
    if (typeof json.redirect_uri === "string") redirectUri = json.redirect_uri;
  } catch {
    // An empty or non-JSON body is fine.
  }
  return { status: response.status, ...(redirectUri ? { redirectUri } : {}) };
}

/**
 * Tells the verifier the person declined (`access_denied`), so its screen can say so. Carries no
 * personal data, so it is not encrypted (OpenID4VP 1.0 section 8.3.1 allows that).
 *
 * @example
 * await declinePresentationRequest(request, { fetch });
 */
export async function declinePresentationRequest(request: ResolvedPresentationRequest, options: { fetch?: Fetch; error?: "access_denied" } = {}): Promise<void> {
  const { payload } = request;
  const body = new URLSearchParams({ error: options.error ?? "access_denied", ...(payload.state ? { state: payload.state } : {}) }).toString();
  await submitPresentationAnswer({ responseUri: payload.response_uri ?? "", body, vpToken: {} }, options).catch((e: unknown) => {
    throw new Openid4vpError("ERR_VP_SUBMIT_FAILED", describe(e), { cause: e });
  });
}
