/**
 * Interop with the library itself: Haki's wallet answering a verifier built directly from
 * @openid4vc/openid4vp (its own callbacks, written here with jose), and Haki's verifier (through the
 * relay) answered by a wallet built directly from the library.
 */
import { signPresentation, verifyPresentation } from "@haki/credentials/presentation";
import type { Jwk } from "@openid4vc/oauth2";
import { Openid4vpClient, Openid4vpVerifier, type Openid4vpAuthorizationRequest } from "@openid4vc/openid4vp";
import { exportJWK, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { jwtVcJsonVerifier, jwtVcJsonWallet } from "./formats/jwt-vc-json";
import { MemoryRelayStore } from "./memory-relay-store";
import { enrolmentQuery } from "./queries";
import { answerForm, createRelay } from "./relay";
import { independentCallbacks } from "./lib/independent-callbacks";
import { useTestParties } from "./lib/test-setup";
import { relayFetch, type TestParties } from "./testing";
import { createPresentationRequest, receivePresentationResponse } from "./verifier";
import { createPresentationAnswer, planPresentation, readPresentationRequest } from "./wallet";

let parties: TestParties;

const testParties = useTestParties();
beforeAll(() => {
  parties = testParties();
});

describe("Haki wallet -> a verifier built from @openid4vc/openid4vp", () => {
  it("answers its redirect_uri request with an encrypted DCQL answer the library decrypts and checks", async () => {
    const pair = await generateKeyPair("ECDH-ES", { crv: "P-256", extractable: true });
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "lib-enc-1", use: "enc", alg: "ECDH-ES" };
    const privateJwk = { ...(await exportJWK(pair.privateKey)), kid: "lib-enc-1" };
    const responseUri = "https://other-verifier.example/openid4vp/response";
    const clientId = `redirect_uri:${responseUri}`;
    const verifier = new Openid4vpVerifier({ callbacks: independentCallbacks(privateJwk) });
    const { authorizationRequest, authorizationRequestPayload } = await verifier.createOpenId4vpAuthorizationRequest({
      authorizationRequestPayload: {
        response_type: "vp_token",
        response_mode: "direct_post.jwt",
        client_id: clientId,
        response_uri: responseUri,
        nonce: "lib-nonce-0123456789",
        state: "lib-state-0123456789",
        dcql_query: enrolmentQuery("cash-for-work"),
        client_metadata: { client_name: "Other Verifier", jwks: { keys: [publicJwk as Jwk] }, vp_formats_supported: { jwt_vc_json: { alg_values: ["EdDSA"] } } },
      } as Openid4vpAuthorizationRequest,
    });

    const request = await readPresentationRequest(authorizationRequest);
    expect(request.verifier).toMatchObject({ authentication: "none", name: "Other Verifier", responseHost: "other-verifier.example", encrypted: true });
    const plan = planPresentation(request, [parties.card], [jwtVcJsonWallet(parties.holder)]);
    const answer = await createPresentationAnswer(plan, [jwtVcJsonWallet(parties.holder)], { agreed: [[]] });
    expect(answer.responseUri).toBe(responseUri);

    const parsed = await verifier.parseOpenid4vpAuthorizationResponse({
      authorizationResponse: Object.fromEntries(new URLSearchParams(answer.body)),
      authorizationRequestPayload: authorizationRequestPayload as Openid4vpAuthorizationRequest,
      callbacks: independentCallbacks(privateJwk),
    });
    expect(parsed.type).toBe("dcql");
    expect(parsed.authorizationResponsePayload.state).toBe("lib-state-0123456789");
    const vp = (parsed.type === "dcql" ? parsed.dcql.presentations.entitlement?.[0] : undefined) as string;
    const checked = await verifyPresentation(vp, parties.trust, { nonce: "lib-nonce-0123456789", audience: clientId });
    expect(checked.valid).toBe(true);
  });
});

describe("a wallet built from @openid4vc/openid4vp -> Haki verifier, through the relay", () => {
  it("resolves the signed request by reference, answers encrypted, and Haki's verifier accepts it", async () => {
    const base = "https://issuer.test/api/openid4vp";
    const relay = createRelay(new MemoryRelayStore(), { baseUrl: base });
    const opened = await relay.openRequest();
    const asked = await createPresentationRequest({
      query: enrolmentQuery("cash-for-work"),
      signer: parties.device,
      responseUri: opened.responseUri,
      requestUri: opened.requestUri,
    });
    const kid = (asked.session.request.client_metadata?.jwks?.keys[0] as { kid?: string }).kid;
    await relay.publishRequestObject(opened.requestId, opened.transactionId, asked.requestObject, kid);

    const fetch = relayFetch(relay, base);
    const wallet = new Openid4vpClient({ callbacks: { ...independentCallbacks(), fetch, generateRandom: (n: number) => crypto.getRandomValues(new Uint8Array(n)) } as never });
    const parsed = wallet.parseOpenid4vpAuthorizationRequest({ authorizationRequest: asked.crossDeviceUri! });
    const resolved = await wallet.resolveOpenId4vpAuthorizationRequest({ authorizationRequestPayload: parsed.params });
    expect(resolved.client).toMatchObject({ prefix: "decentralized_identifier", identifier: parties.device.did });
    const payload = resolved.authorizationRequestPayload as Openid4vpAuthorizationRequest;
    const vp = await signPresentation(parties.card.credential, parties.holder, { nonce: payload.nonce, audience: payload.client_id! });
    const response = await wallet.createOpenid4vpAuthorizationResponse({
      authorizationRequestPayload: payload,
      authorizationResponsePayload: { vp_token: { entitlement: [vp] } },
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
    expect(submitted.response.status).toBe(200);

    const collected = await relay.collectAnswer(opened.requestId, opened.transactionId);
    if (collected.status !== "answered") throw new Error("no answer");
    expect(collected.answer.kind).toBe("jwe");
    const received = await receivePresentationResponse(answerForm(collected.answer), asked.session, [jwtVcJsonVerifier(parties.trust)]);
    expect(received.presentations[0]).toMatchObject({ queryId: "entitlement", format: "jwt_vc_json" });
  });
});
