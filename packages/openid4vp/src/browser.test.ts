/**
 * The wallet and verifier sides in a real browser (Debian's Chromium): both bundled for the browser
 * platform (a node: import would fail the bundle) and run end to end on one page: a signed request
 * by value, DCQL matching, an ECDH-ES encrypted answer, and its verification (Web Crypto only).
 */
import { useServedBundle, withBundlePage } from "@haki/e2e/bundle-page";
import { describe, expect, it } from "vitest";

const served = useServedBundle(
  {
    source: [
      `export { createPresentationRequest, receivePresentationResponse } from "./src/verifier.ts";`,
      `export { readPresentationRequest, planPresentation, createPresentationAnswer } from "./src/wallet.ts";`,
      `export { jwtVcJsonWallet, jwtVcJsonVerifier } from "./src/formats/jwt-vc-json.ts";`,
      `export { enrolmentQuery } from "./src/queries.ts";`,
      `export { makeTestParties } from "./src/testing.ts";`,
    ].join("\n"),
    resolveDir: new URL("..", import.meta.url).pathname,
    global: "openid4vp",
  },
  120_000,
);

describe("in Chromium", () => {
  it("a Haki wallet answers a Haki verifier's DCQL request, encrypted, verified", async () => {
    const outcome = await withBundlePage(
      served(),
      (page) =>
        page.evaluate(async () => {
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          const lib = (window as any).openid4vp;
          const parties = await lib.makeTestParties();
          const asked = await lib.createPresentationRequest({
            query: lib.enrolmentQuery("cash-for-work"),
            signer: parties.device,
            responseUri: "https://issuer.test/api/openid4vp/responses/r1",
          });
          const request = await lib.readPresentationRequest(asked.sameDeviceUri);
          const formats = [lib.jwtVcJsonWallet(parties.holder)];
          const plan = lib.planPresentation(request, [parties.card], formats);
          const answer = await lib.createPresentationAnswer(plan, formats, { agreed: [[]] });
          const received = await lib.receivePresentationResponse(answer.body, asked.session, [lib.jwtVcJsonVerifier(parties.trust)]);
          return { who: request.verifier.authentication, encrypted: answer.body.startsWith("response=ey"), answered: received.answered };
        }),
      (page) => page.clock.setFixedTime(new Date("2027-03-15T09:00:00Z")),
    );
    expect(outcome).toEqual({ who: "signed-by-did", encrypted: true, answered: ["entitlement"] });
  });
});
