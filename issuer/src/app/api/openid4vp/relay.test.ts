/**
 * The issuer's OpenID4VP relay routes on both databases: Haki's verifier (an enrolled device) asks,
 * Haki's wallet answers through the routes, the device collects and verifies; what the table held
 * was ciphertext only. Then every bound: device authentication, caps, expiry and sweep, body size,
 * clear text refused and not kept, rate limits.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { testProviders } from "@haki/db/testing";
import { jwtVcJsonVerifier, jwtVcJsonWallet } from "@haki/openid4vp/formats/jwt-vc-json";
import { enrolmentQuery, benefitAndNameQuery } from "@haki/openid4vp/queries";
import { answerForm, type OpenedRequest, type RelayAnswer } from "@haki/openid4vp/relay";
import { signRelayOpening } from "@haki/openid4vp/relay-auth";
import { makeTestParties, type TestParties } from "@haki/openid4vp/testing";
import { createPresentationRequest, receivePresentationResponse } from "@haki/openid4vp/verifier";
import { createPresentationAnswer, planPresentation, readPresentationRequest, submitPresentationAnswer } from "@haki/openid4vp/wallet";
import { createTestContext, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { flushRateLimits, resetRateLimits } from "@/server/api/rate-limit";
import { MAX_OPEN_PER_DEVICE, RELAY_RATE_LIMITS, RELAY_TTL_SECONDS } from "@/server/openid4vp/relay";
import { POST as openRoute } from "./requests/route";
import { GET as fetchRoute, POST as publishRoute } from "./requests/[id]/route";
import { POST as collectRoute } from "./requests/[id]/answer/route";
import { POST as answerRoute } from "./responses/[id]/route";

const BASE = "https://issuer.haki.test/api/openid4vp";

describe.each(testProviders())("OpenID4VP relay routes on %s", (provider) => {
  let t: TestContext;
  let parties: TestParties;

  /** The wallet's fetch, answered by the issuer's real route handlers. */
  const walletFetch: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const path = url.pathname;
    const req = /^\/api\/openid4vp\/requests\/([^/]+)$/.exec(path);
    const res = /^\/api\/openid4vp\/responses\/([^/]+)$/.exec(path);
    const headers = Object.fromEntries(new Headers(init?.headers).entries());
    if (req && (init?.method ?? "GET").toUpperCase() === "GET") return callRoute(fetchRoute, { method: "GET", path, params: { id: req[1]! } });
    if (res) return callRoute(answerRoute, { method: "POST", path, params: { id: res[1]! }, headers, body: String(init?.body) });
    return new Response("not found", { status: 404 });
  };

  async function open(deviceId = "dev-1", privateKey = parties.device.privateKey, at = t.ctx.now()): Promise<Response> {
    return callRoute(openRoute, { method: "POST", body: { proof: await signRelayOpening({ deviceId, privateKey }, `${BASE}/requests`, at) } });
  }
  async function ask(query = enrolmentQuery("cash-for-work")) {
    const res = await open();
    expect(res.status).toBe(201);
    const opened = (await res.json()) as OpenedRequest;
    const made = await createPresentationRequest({ query, signer: parties.device, responseUri: opened.responseUri, requestUri: opened.requestUri, clientName: "Mama Mboga shop", now: t.ctx.now() });
    const kid = (made.session.request.client_metadata?.jwks?.keys[0] as { kid?: string }).kid;
    const published = await callRoute(publishRoute, { method: "POST", params: { id: opened.requestId }, body: { transactionId: opened.transactionId, requestObject: made.requestObject, encryptionKid: kid } });
    expect(published.status).toBe(204);
    return { ...made, opened };
  }
  const collect = (opened: OpenedRequest, transactionId = opened.transactionId) =>
    callRoute(collectRoute, { method: "POST", params: { id: opened.requestId }, body: { transactionId } });

  beforeAll(async () => {
    // Inside the test cards' validity (March 2027): the wallet and the verifier read Date.
    vi.useFakeTimers({ now: new Date("2027-03-15T09:00:00Z"), toFake: ["Date"] });
    t = await createTestContext(provider);
    parties = await makeTestParties();
    await t.ctx.db.servicePoint.create({ data: { id: "sp-1", name: "Mama Mboga shop" } });
    await t.ctx.db.device.create({ data: { id: "dev-1", servicePointId: "sp-1", publicJwk: JSON.stringify(parties.device.publicJwk) } });
    await t.ctx.db.device.create({ data: { id: "dev-gone", servicePointId: "sp-1", publicJwk: JSON.stringify(parties.device.publicJwk), revokedAt: new Date(0) } });
  }, 60_000);
  afterAll(async () => {
    vi.useRealTimers();
    await flushRateLimits(t.ctx);
    await t.close();
  });
  beforeEach(async () => {
    t.clock.now = new Date();
    await resetRateLimits(t.ctx);
    await t.ctx.db.openid4vpRelay.deleteMany();
  });

  it("carries a Haki wallet's answer to the device that asked; the table only ever held ciphertext", async () => {
    const asked = await ask(benefitAndNameQuery());
    const request = await readPresentationRequest(asked.crossDeviceUri!, { fetch: walletFetch });
    expect(request.verifier).toMatchObject({ name: "Mama Mboga shop", authentication: "signed-by-did", responseHost: "issuer.haki.test", encrypted: true });
    const plan = planPresentation(request, [parties.card], [jwtVcJsonWallet(parties.holder)]);
    const answer = await createPresentationAnswer(plan, [jwtVcJsonWallet(parties.holder)], { agreed: plan.credentials.flatMap((c) => c.disclosed.map((d) => d.path)) });
    expect((await submitPresentationAnswer(answer, { fetch: walletFetch })).status).toBe(200);

    // What the issuer holds now: every column of every row, searched for the card's values.
    const rows = await t.ctx.db.openid4vpRelay.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.answerKind).toBe("jwe");
    const stored = JSON.stringify(rows);
    const subject = JSON.parse(Buffer.from(parties.card.credential.split(".")[1]!, "base64url").toString()).vc.credentialSubject as { name: string; benefit: { amount: number } };
    for (const value of [subject.name, String(subject.benefit.amount), parties.holder.did, parties.card.credential.split(".")[2]!]) expect(stored).not.toContain(value);
    expect(stored).not.toContain("vp_token");

    const got = await collect(asked.opened);
    expect(got.status).toBe(200);
    const { answer: relayed } = (await got.json()) as { answer: RelayAnswer };
    const received = await receivePresentationResponse(answerForm(relayed), asked.session, [jwtVcJsonVerifier(parties.trust)]);
    expect(received.answered).toEqual(["entitlement"]);
    // Handed over once, then gone.
    expect(await t.ctx.db.openid4vpRelay.count()).toBe(0);
    expect((await collect(asked.opened)).status).toBe(404);
  });

  it("answers 204 while waiting, 403 to a wrong transaction id, and serves the request object to wallets", async () => {
    const asked = await ask();
    expect((await collect(asked.opened)).status).toBe(204);
    const wrong = await collect(asked.opened, "x".repeat(43));
    expect(wrong.status).toBe(403);
    expect(await errorCode(wrong)).toBe("ERR_RELAY_FORBIDDEN");
    const got = await callRoute(fetchRoute, { method: "GET", params: { id: asked.opened.requestId } });
    expect(got.headers.get("content-type")).toBe("application/oauth-authz-req+jwt");
    expect(got.headers.get("access-control-allow-origin")).toBe("*");
    expect(await got.text()).toBe(asked.requestObject);
    const unknown = await callRoute(fetchRoute, { method: "GET", params: { id: "AAAAAAAAAAAAAAAAAAAAAA" } });
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe("ERR_RELAY_UNKNOWN_REQUEST");
  });

  it("only enrolled devices open requests, with a fresh proof for this relay", async () => {
    expect(await errorCode(await open("dev-unknown"))).toBe("ERR_RELAY_FORBIDDEN");
    expect(await errorCode(await open("dev-gone"))).toBe("ERR_RELAY_FORBIDDEN");
    const stale = await open("dev-1", parties.device.privateKey, new Date(t.ctx.now().getTime() - 10 * 60_000));
    expect(stale.status).toBe(403);
    const other = await callRoute(openRoute, { method: "POST", body: { proof: await signRelayOpening({ deviceId: "dev-1", privateKey: parties.holder.privateKey }, `${BASE}/requests`, t.ctx.now()) } });
    expect(await errorCode(other)).toBe("ERR_RELAY_FORBIDDEN");
    const elsewhere = await callRoute(openRoute, { method: "POST", body: { proof: await signRelayOpening({ deviceId: "dev-1", privateKey: parties.device.privateKey }, "https://other.test/requests", t.ctx.now()) } });
    expect(elsewhere.status).toBe(403);
    expect(await t.ctx.db.openid4vpRelay.count()).toBe(0);
  });

  it("caps the requests a device may have waiting, and sweeps expired ones", async () => {
    for (let i = 0; i < MAX_OPEN_PER_DEVICE; i++) expect((await open()).status).toBe(201);
    const over = await open();
    expect(over.status).toBe(429);
    expect(await errorCode(over)).toBe("ERR_TOO_MANY_ATTEMPTS");
    t.clock.advance((RELAY_TTL_SECONDS + 1) * 1000);
    await resetRateLimits(t.ctx);
    expect((await open()).status).toBe(201);
    expect(await t.ctx.db.openid4vpRelay.count()).toBe(1);
  });

  it("refuses an expired request (410) and a collection after expiry", async () => {
    const asked = await ask();
    t.clock.advance((RELAY_TTL_SECONDS + 1) * 1000);
    const late = await callRoute(fetchRoute, { method: "GET", params: { id: asked.opened.requestId } });
    expect(late.status).toBe(410);
    expect(await errorCode(late)).toBe("ERR_RELAY_EXPIRED");
    const answer = await callRoute(answerRoute, { method: "POST", params: { id: asked.opened.requestId }, headers: { "content-type": "application/x-www-form-urlencoded" }, body: "error=access_denied" });
    expect(answer.status).toBe(410);
  });

  it("refuses an answer in the clear, an oversized one and a second one; keeps nothing of them", async () => {
    const asked = await ask();
    const post = (body: string, type = "application/x-www-form-urlencoded") =>
      callRoute(answerRoute, { method: "POST", params: { id: asked.opened.requestId }, headers: { "content-type": type }, body });
    const clear = await post(new URLSearchParams({ vp_token: JSON.stringify({ entitlement: [parties.card.credential] }), state: asked.session.state }).toString());
    expect(clear.status).toBe(400);
    expect(await errorCode(clear)).toBe("ERR_RELAY_NOT_ENCRYPTED");
    expect((await post("response=" + "a".repeat(70_000))).status).toBe(413);
    expect((await post("{}", "application/json")).status).toBe(415);
    const row = await t.ctx.db.openid4vpRelay.findUniqueOrThrow({ where: { requestId: asked.opened.requestId } });
    expect(row.answer).toBeNull();
    expect(JSON.stringify(row)).not.toContain(parties.card.credential.split(".")[1]!);
    expect((await post(`error=access_denied&state=${asked.session.state}&error_description=my+name+is+Amina`)).status).toBe(200);
    expect(JSON.stringify(await t.ctx.db.openid4vpRelay.findMany())).not.toContain("Amina");
    const again = await post("error=access_denied");
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("ERR_RELAY_ALREADY_ANSWERED");
  });

  it("stops reading an answer streamed without a length as soon as it passes the limit", async () => {
    const asked = await ask();
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new TextEncoder().encode("response=" + "a".repeat(16_384)));
      },
    });
    const res = await callRoute(answerRoute, { method: "POST", params: { id: asked.opened.requestId }, headers: { "content-type": "application/x-www-form-urlencoded" }, body: endless });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe("ERR_RELAY_TOO_LARGE");
    expect(pulled).toBeLessThan(10);
  });

  it("rate-limits wallets' posts per address", async () => {
    const asked = await ask();
    const headers = { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "198.51.100.9" };
    const statuses: number[] = [];
    for (let i = 0; i <= RELAY_RATE_LIMITS.answer.limit; i++) {
      statuses.push((await callRoute(answerRoute, { method: "POST", params: { id: asked.opened.requestId }, headers, body: "response=not-a-jwe" })).status);
    }
    expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another address is not held back.
    const other = await callRoute(answerRoute, { method: "POST", params: { id: asked.opened.requestId }, headers: { ...headers, "x-forwarded-for": "203.0.113.1" }, body: "response=not-a-jwe" });
    expect(other.status).toBe(400);
  });
});
