/** The token endpoint: a pre-authorised code (and its PIN) redeemed once for an access token. */
import { Oauth2AuthorizationServer, Oauth2ServerErrorResponseError } from "@openid4vc/oauth2";
import { IssuanceError } from "../errors";
import { serverCallbacks } from "../lib/callbacks";
import { randomToken } from "../lib/crypto";
import { nonceServiceOf } from "./cached-config";
import type { HandlerResponse, IssuanceDeps } from "./deps";
import { hashOf, readText, requestLike, requireMethod } from "./read-request";
import { guard, ok } from "./respond";

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
    const grant = await readPreAuthorizedGrant(request);
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

/** The form-encoded pre-authorised code grant, parsed by @openid4vc/oauth2. */
async function readPreAuthorizedGrant(request: Request): Promise<{ preAuthorizedCode: string; txCode?: string }> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
    throw new IssuanceError("ERR_INVALID_REQUEST", { detail: "The body must be form-encoded." });
  }
  const form = Object.fromEntries(new URLSearchParams(await readText(request, "ERR_INVALID_REQUEST")));
  const server = new Oauth2AuthorizationServer({ callbacks: serverCallbacks });
  let grant;
  try {
    ({ grant } = server.parseAccessTokenRequest({ request: requestLike(request), accessTokenRequest: form }));
  } catch (cause) {
    const oauth = cause instanceof Oauth2ServerErrorResponseError ? cause.errorResponse.error : undefined;
    throw new IssuanceError(oauth === "unsupported_grant_type" ? "ERR_UNSUPPORTED_GRANT_TYPE" : "ERR_INVALID_REQUEST", { cause });
  }
  if (grant.grantType !== "urn:ietf:params:oauth:grant-type:pre-authorized_code") throw new IssuanceError("ERR_UNSUPPORTED_GRANT_TYPE");
  return grant;
}
