/**
 * The wallet and verifier sides in a real browser (Debian's Chromium): both bundled for the browser
 * platform (a node: import would fail the bundle) and run end to end on one page: a signed request
 * by value, DCQL matching, an ECDH-ES encrypted answer, and its verification (Web Crypto only).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { launchChromium } from "@haki/e2e/browser";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const PAGE = `<!doctype html><title>openid4vp</title><script type="module">import * as lib from "/openid4vp.js"; window.openid4vp = lib;</script>`;
let server: Server;
let origin: string;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: [
        `export { createPresentationRequest, receivePresentationResponse } from "./src/verifier.ts";`,
        `export { readPresentationRequest, planPresentation, createPresentationAnswer } from "./src/wallet.ts";`,
        `export { jwtVcJsonWallet, jwtVcJsonVerifier } from "./src/formats/jwt-vc-json.ts";`,
        `export { enrolmentQuery } from "./src/queries.ts";`,
        `export { makeTestParties } from "./src/testing.ts";`,
      ].join("\n"),
      resolveDir: new URL("..", import.meta.url).pathname,
      loader: "ts",
    },
    bundle: true,
    format: "esm",
    platform: "browser",
    conditions: ["browser"],
    write: false,
  });
  const js = bundle.outputFiles[0]!.text;
  server = createServer((req, res) => {
    if (req.url === "/openid4vp.js") res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    else res.writeHead(200, { "content-type": "text/html" }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

describe("in Chromium", () => {
  it("a Haki wallet answers a Haki verifier's DCQL request, encrypted, verified", async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.clock.setFixedTime(new Date("2027-03-15T09:00:00Z"));
      await page.goto(origin);
      await page.waitForFunction(() => "openid4vp" in window);
      const outcome = await page.evaluate(async () => {
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
      });
      expect(outcome).toEqual({ who: "signed-by-did", encrypted: true, answered: ["entitlement"] });
    } finally {
      await browser.close();
    }
  });
});
