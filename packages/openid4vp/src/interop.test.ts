/**
 * Interop with the library itself: Haki's wallet answering a verifier built directly from
 * @openid4vc/openid4vp (its own callbacks, written here with jose), and Haki's verifier (through the
 * relay) answered by a wallet built directly from the library.
 */
import { signPresentation, verifyPresentation } from "@haki/credentials/presentation";
import { beforeAll, describe, expect, it } from "vitest";
import { jwtVcJsonVerifier, jwtVcJsonWallet } from "./formats/jwt-vc-json";
import { MemoryRelayStore } from "./memory-relay-store";
import { enrolmentQuery } from "./queries";
import { answerForm, createRelay } from "./relay";
import { libraryVerifierRequest, libraryWalletAnswers } from "./lib/independent-parties";
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
    const lib = await libraryVerifierRequest(enrolmentQuery("cash-for-work"), { jwt_vc_json: { alg_values: ["EdDSA"] } });
    const request = await readPresentationRequest(lib.authorizationRequest);
    expect(request.verifier).toMatchObject({ authentication: "none", name: "Other Verifier", responseHost: "other-verifier.example", encrypted: true });
    const plan = planPresentation(request, [parties.card], [jwtVcJsonWallet(parties.holder)]);
    const answer = await createPresentationAnswer(plan, [jwtVcJsonWallet(parties.holder)], { agreed: [[]] });
    expect(answer.responseUri).toBe(lib.responseUri);

    const parsed = await lib.readAnswer(answer.body);
    expect(parsed.type).toBe("dcql");
    expect(parsed.state).toBe(lib.state);
    const checked = await verifyPresentation(parsed.presentation as string, parties.trust, { nonce: lib.nonce, audience: lib.clientId });
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

    const answered = await libraryWalletAnswers(asked.crossDeviceUri!, relayFetch(relay, base), ({ nonce, clientId }) => signPresentation(parties.card.credential, parties.holder, { nonce, audience: clientId }));
    expect(answered.client).toMatchObject({ prefix: "decentralized_identifier", identifier: parties.device.did });
    expect(answered.status).toBe(200);

    const collected = await relay.collectAnswer(opened.requestId, opened.transactionId);
    if (collected.status !== "answered") throw new Error("no answer");
    expect(collected.answer.kind).toBe("jwe");
    const received = await receivePresentationResponse(answerForm(collected.answer), asked.session, [jwtVcJsonVerifier(parties.trust)]);
    expect(received.presentations[0]).toMatchObject({ queryId: "entitlement", format: "jwt_vc_json" });
  });
});
