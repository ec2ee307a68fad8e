/**
 * Plain http only on this machine: a verifier and relay on http://localhost (development, the
 * browser tests) work end to end; a request whose answer would go to another host over http is refused.
 */
import { describe, expect, it } from "vitest";
import { jwtVcJsonVerifier, jwtVcJsonWallet } from "./formats/jwt-vc-json";
import { MemoryRelayStore } from "./memory-relay-store";
import { enrolmentQuery } from "./queries";
import { answerForm, createRelay } from "./relay";
import { useTestParties } from "./lib/test-setup";
import { relayFetch } from "./testing";
import { createPresentationRequest, receivePresentationResponse } from "./verifier";
import { createPresentationAnswer, planPresentation, readPresentationRequest, submitPresentationAnswer } from "./wallet";

const parties = useTestParties();

async function ask(base: string) {
  const relay = createRelay(new MemoryRelayStore(), { baseUrl: base });
  const opened = await relay.openRequest();
  const made = await createPresentationRequest({ query: enrolmentQuery("cash-for-work"), signer: parties().device, responseUri: opened.responseUri, requestUri: opened.requestUri });
  const kid = (made.session.request.client_metadata?.jwks?.keys[0] as { kid?: string }).kid;
  await relay.publishRequestObject(opened.requestId, opened.transactionId, made.requestObject, kid);
  return { relay, opened, made, fetch: relayFetch(relay, base) };
}

describe("http only on this machine", () => {
  it("works end to end with a relay on http://localhost", async () => {
    const { relay, opened, made, fetch } = await ask("http://localhost:4900/api/openid4vp");
    const request = await readPresentationRequest(made.crossDeviceUri!, { fetch });
    expect(request.verifier.responseHost).toBe("localhost:4900");
    const formats = [jwtVcJsonWallet(parties().holder)];
    const plan = planPresentation(request, [parties().card], formats);
    await submitPresentationAnswer(await createPresentationAnswer(plan, formats, { agreed: plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path)) }), { fetch });
    const got = await relay.collectAnswer(opened.requestId, opened.transactionId);
    if (got.status !== "answered") throw new Error("no answer");
    expect((await receivePresentationResponse(answerForm(got.answer), made.session, [jwtVcJsonVerifier(parties().trust)])).answered).toEqual(["entitlement"]);
  });

  it("refuses a verifier on http elsewhere, on both sides", async () => {
    await expect(ask("http://relay.example/api/openid4vp")).rejects.toMatchObject({ code: "ERR_VP_REQUEST_INVALID" });
    // An unsigned request (redirect_uri client id) whose answer would go over http to another host.
    const unsigned = new URL("openid4vp://");
    unsigned.search = new URLSearchParams({
      client_id: "redirect_uri:http://relay.example/cb",
      response_type: "vp_token",
      response_mode: "direct_post",
      response_uri: "http://relay.example/cb",
      nonce: "n-0S6_WzA2Mj",
      dcql_query: JSON.stringify(enrolmentQuery("cash-for-work")),
    }).toString();
    await expect(readPresentationRequest(unsigned.toString())).rejects.toMatchObject({ code: "ERR_VP_REQUEST_INVALID" });
    // The same on http://localhost is read (development on this machine).
    const local = new URL(unsigned.toString());
    local.searchParams.set("client_id", "redirect_uri:http://localhost:4900/cb");
    local.searchParams.set("response_uri", "http://localhost:4900/cb");
    expect((await readPresentationRequest(local.toString())).verifier.responseHost).toBe("localhost:4900");
  });
});
