/**
 * Test support: the other side of the interop tests, a verifier and a wallet built straight from
 * @openid4vc/openid4vp with their own callbacks (plain jose), sharing no code with Haki's.
 */
import { publicJwkFromDid } from "@haki/credentials/did";
import type { CallbackContext, Jwk } from "@openid4vc/oauth2";
import { Openid4vpClient, Openid4vpVerifier, type Openid4vpAuthorizationRequest } from "@openid4vc/openid4vp";
import type { DcqlQuery } from "dcql";
import { CompactEncrypt, compactDecrypt, compactVerify, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

/** The other side's own callbacks: plain jose, nothing from this package. */
export function independentCallbacks(decryptionKey?: JWK): Omit<CallbackContext, "generateRandom" | "clientAuthentication"> {
  return {
    hash: async (data) => new Uint8Array(await crypto.subtle.digest("SHA-256", data as Uint8Array<ArrayBuffer>)),
    signJwt: async () => {
      throw new Error("unused");
    },
    verifyJwt: async (signer, jwt) => {
      if (signer.method !== "did") return { verified: false };
      const jwk = publicJwkFromDid(signer.didUrl.split("#")[0]!);
      try {
        await compactVerify(jwt.compact, await importJWK(jwk, "EdDSA"));
        return { verified: true, signerJwk: jwk as Jwk };
      } catch {
        return { verified: false };
      }
    },
    encryptJwe: async (encryptor, data) => {
      const { kid, alg, use: _u, ...pub } = encryptor.publicJwk as Jwk & { use?: string };
      const jwe = await new CompactEncrypt(new TextEncoder().encode(data))
        .setProtectedHeader({ alg: alg ?? "ECDH-ES", enc: encryptor.enc, ...(kid ? { kid } : {}) })
        .encrypt(await importJWK(pub as JWK, "ECDH-ES"));
      return { jwe, encryptionJwk: encryptor.publicJwk };
    },
    decryptJwe: async (jwe) => {
      if (!decryptionKey) return { decrypted: false };
      const { plaintext } = await compactDecrypt(jwe, await importJWK(decryptionKey, "ECDH-ES"));
      const { d: _d, ...pub } = decryptionKey;
      return { decrypted: true, decryptionJwk: pub as Jwk, payload: new TextDecoder().decode(plaintext) };
    },
  };
}

/** A request of a verifier built from the library, and how it reads the answer. */
export interface LibraryVerifierRequest {
  /** What the wallet opens (`openid4vp://?...`). */
  authorizationRequest: string;
  clientId: string;
  responseUri: string;
  nonce: string;
  state: string;
  /** Decrypts and parses the posted form body as the library does; the first presentation for `queryId`. */
  readAnswer(body: string, queryId?: string): Promise<{ type: string; state: unknown; presentation: unknown }>;
}

/**
 * A verifier built from @openid4vc/openid4vp: an unsigned `redirect_uri:` request asking for an
 * encrypted (`direct_post.jwt`, ECDH-ES P-256) DCQL answer.
 *
 * @example
 * const lib = await libraryVerifierRequest(enrolmentQuery("cash-for-work"), { jwt_vc_json: { alg_values: ["EdDSA"] } });
 */
export async function libraryVerifierRequest(query: DcqlQuery.Input, formats: Record<string, unknown>, nonce = "lib-nonce-0123456789"): Promise<LibraryVerifierRequest> {
  const pair = await generateKeyPair("ECDH-ES", { crv: "P-256", extractable: true });
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "lib-enc-1", use: "enc", alg: "ECDH-ES" };
  const privateJwk = { ...(await exportJWK(pair.privateKey)), kid: "lib-enc-1" };
  const responseUri = "https://other-verifier.example/openid4vp/response";
  const clientId = `redirect_uri:${responseUri}`;
  const state = "lib-state-0123456789";
  const verifier = new Openid4vpVerifier({ callbacks: independentCallbacks(privateJwk) });
  const { authorizationRequest, authorizationRequestPayload } = await verifier.createOpenId4vpAuthorizationRequest({
    authorizationRequestPayload: {
      response_type: "vp_token",
      response_mode: "direct_post.jwt",
      client_id: clientId,
      response_uri: responseUri,
      nonce,
      state,
      dcql_query: query,
      client_metadata: { client_name: "Other Verifier", jwks: { keys: [publicJwk as Jwk] }, vp_formats_supported: formats },
    } as Openid4vpAuthorizationRequest,
  });
  return {
    authorizationRequest,
    clientId,
    responseUri,
    nonce,
    state,
    async readAnswer(body, queryId = "entitlement") {
      const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
        authorizationResponse: Object.fromEntries(new URLSearchParams(body)),
        authorizationRequestPayload: authorizationRequestPayload as Openid4vpAuthorizationRequest,
        callbacks: independentCallbacks(privateJwk),
      });
      return { type: parsed.type, state: parsed.authorizationResponsePayload.state, presentation: parsed.type === "dcql" ? parsed.dcql.presentations[queryId]?.[0] : undefined };
    },
  };
}

/**
 * A wallet built from @openid4vc/openid4vp: resolves the request at `link` (by reference through
 * `fetch`), lets `present` make the presentation for its nonce and client id, and posts it encrypted.
 * Returns the resolved client and the HTTP status of the post.
 *
 * @example
 * const { status } = await libraryWalletAnswers(asked.crossDeviceUri!, fetch, ({ nonce, clientId }) => signPresentation(card, holder, { nonce, audience: clientId }));
 */
export async function libraryWalletAnswers(
  link: string,
  fetch: typeof globalThis.fetch,
  present: (request: { nonce: string; clientId: string }) => Promise<string>,
  queryId = "entitlement",
): Promise<{ client: unknown; status: number }> {
  const wallet = new Openid4vpClient({ callbacks: { ...independentCallbacks(), fetch, generateRandom: (n: number) => crypto.getRandomValues(new Uint8Array(n)) } as never });
  const parsed = wallet.parseOpenid4vpAuthorizationRequest({ authorizationRequest: link });
  const resolved = await wallet.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
  const payload = resolved.authorizationRequestPayload as Openid4vpAuthorizationRequest;
  const vp = await present({ nonce: payload.nonce, clientId: payload.client_id! });
  const response = await wallet.createOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: payload,
    authorizationResponsePayload: { vp_token: { [queryId]: [vp] } },
    jarm: {
      encryption: { nonce: "wallet-nonce-0123" },
      serverMetadata: {
        authorization_signing_alg_values_supported: [],
        authorization_encryption_alg_values_supported: ["ECDH-ES"],
        authorization_encryption_enc_values_supported: ["A128GCM"],
      },
    },
  });
  const submitted = await wallet.submitOpenid4vpAuthorizationResponse({
    authorizationRequestPayload: payload,
    authorizationResponsePayload: response.authorizationResponsePayload,
    ...(response.jarm ? { jarm: response.jarm } : {}),
  });
  return { client: resolved.client, status: submitted.response.status };
}
