/** The credential endpoint: token, request, proofs, then one signed credential per holder key. */
import type { Jwk } from "@openid4vc/oauth2";
import { Openid4vciIssuer, type ParseCredentialRequestReturn } from "@openid4vc/openid4vci";
import { IssuanceError } from "../errors";
import { serverCallbacks } from "../lib/callbacks";
import type { StoredOffer } from "../store";
import { cachedConfig, cachedMetadata, nonceServiceOf } from "./cached-config";
import type { CredentialFormat, HandlerResponse, IssuanceDeps } from "./deps";
import { bearerToken, hashOf, readJson, requireMethod } from "./read-request";
import { parseCommonRequest } from "./parse-common-request";
import { guard, ok } from "./respond";
import { verifyProofs } from "./verify-proofs";

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

    const issuer = new Openid4vciIssuer({ callbacks: serverCallbacks });
    const asked = await readCredentialRequest(request, issuer, deps, offer);
    const holders = await verifyProofs(asked.jwts, { deps, metadata: cachedMetadata(deps.config), now });
    // One nonce for the whole batch, spent once.
    if (!(await nonceServiceOf(deps).consume(holders.nonce, now))) throw new IssuanceError("ERR_INVALID_NONCE");

    // Spent only now, so a wallet whose proof failed can retry with the same token.
    const spent = await deps.store.consumeAccessToken({ tokenHash, now });
    if (!spent) throw new IssuanceError("ERR_INVALID_TOKEN");

    const { credentialConfigurationId, format } = asked;
    const credentials = await signCredentials(deps, spent, holders.keys, { credentialConfigurationId, format });
    const recorded = deps.recordIssuance ? await deps.recordIssuance({ offer: spent, holders: holders.keys, credentialConfigurationId, format, tokenHash, now }) : undefined;
    const notificationId = cachedConfig(deps.config).notifications ? recorded?.notificationId : undefined;
    const response = issuer.createCredentialResponse({ credentialRequest: asked.parsed, credentials });
    return ok({ ...response, ...(notificationId ? { notification_id: notificationId } : {}) });
  });
}

/** The format of a configuration this issuer offers (from the config resolved once). */
function formatOf(deps: IssuanceDeps, configurationId: string): CredentialFormat | undefined {
  const config = cachedConfig(deps.config);
  if (configurationId === config.credentialConfigurationId) return "jwt_vc_json";
  if (config.sdJwtVc && configurationId === config.sdJwtVc.configurationId) return "dc+sd-jwt";
  return undefined;
}

interface CredentialAsk {
  parsed: ParseCredentialRequestReturn;
  credentialConfigurationId: string;
  format: CredentialFormat;
  jwts: string[];
}

/** The request body: the offered configuration, its format, and between one and `batchSize` JWT proofs. */
async function readCredentialRequest(request: Request, issuer: Openid4vciIssuer, deps: IssuanceDeps, offer: StoredOffer): Promise<CredentialAsk> {
  const body = await readJson(request, "ERR_INVALID_CREDENTIAL_REQUEST");
  const metadata = cachedMetadata(deps.config);
  let parsed: ParseCredentialRequestReturn;
  try {
    parsed = parseCommonRequest(body, metadata) ?? issuer.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: body });
  } catch (cause) {
    const unknownId = typeof body.credential_configuration_id === "string";
    throw new IssuanceError(unknownId ? "ERR_UNKNOWN_CREDENTIAL_CONFIGURATION" : "ERR_INVALID_CREDENTIAL_REQUEST", { cause });
  }
  const credentialConfigurationId = parsed.credentialConfigurationId;
  if (credentialConfigurationId === undefined) {
    throw new IssuanceError("ERR_INVALID_CREDENTIAL_REQUEST", { detail: "Name the credential_configuration_id." });
  }
  if (credentialConfigurationId !== offer.credentialConfigurationId) throw new IssuanceError("ERR_UNKNOWN_CREDENTIAL_CONFIGURATION");
  const format = formatOf(deps, credentialConfigurationId);
  if (!format) throw new IssuanceError("ERR_UNKNOWN_CREDENTIAL_CONFIGURATION");
  const jwts = parsed.proofs?.jwt;
  if (!jwts || jwts.length === 0 || Object.keys(parsed.proofs ?? {}).length !== 1) {
    throw new IssuanceError("ERR_INVALID_PROOF", { detail: "Send one or more proofs of type jwt." });
  }
  const batchSize = cachedConfig(deps.config).batchSize;
  if (jwts.length > batchSize) throw new IssuanceError("ERR_INVALID_CREDENTIAL_REQUEST", { detail: `At most ${batchSize} proofs per request.` });
  return { parsed, credentialConfigurationId, format, jwts: jwts as string[] };
}

/** One credential per holder key, in order; a denial passes through, anything else is ERR_ISSUANCE_FAILED. */
async function signCredentials(
  deps: IssuanceDeps,
  offer: StoredOffer,
  keys: readonly { did: string; jwk: Jwk }[],
  asked: { credentialConfigurationId: string; format: CredentialFormat },
): Promise<{ credential: string }[]> {
  const credentials: { credential: string }[] = [];
  for (const [index, h] of keys.entries()) {
    try {
      credentials.push({ credential: await deps.issueCredential({ offer, holderDid: h.did, holderJwk: h.jwk, ...asked, index }) });
    } catch (cause) {
      if (cause instanceof IssuanceError && cause.code === "ERR_CREDENTIAL_REQUEST_DENIED") throw cause;
      throw new IssuanceError("ERR_ISSUANCE_FAILED", { cause });
    }
  }
  return credentials;
}
