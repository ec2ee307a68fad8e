/**
 * A small stand-in for the issuer's verifier endpoints (until the real issuer serves them), used
 * by the unit flow test in-process and by the browser tests over node:http on 127.0.0.1. It
 * implements the documented contract of @haki/redemption for real: one-time set-up codes, the
 * signed trust bundle, signed status lists, and a receipts inbox that verifies each receipt with
 * the enrolled device key and stores each id once.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { BindingKey } from "@haki/id-binding/binding";
import { RedemptionError } from "@haki/redemption/codes";
import { findDoubleRedemptions, verifyReceipt, type Receipt } from "@haki/redemption/receipts";
import { BindingKeysRequest, EnrolmentRequest, ISSUER_ENDPOINTS, type PublicJwk } from "@haki/redemption/setup";
import { ReceiptSubmission, type ReceiptSubmissionResult } from "@haki/redemption/sync-queue";
import { createTestWorld, type TestWorld } from "@haki/redemption/testing";
import { Openid4vpError } from "@haki/openid4vp/errors";
import { MemoryRelayStore } from "@haki/openid4vp/memory-relay-store";
import { createRelay, RELAY_HTTP_STATUS } from "@haki/openid4vp/relay";
import { verifyRelayOpening } from "@haki/openid4vp/relay-auth";

export interface FakeIssuerOptions {
  now: Date;
  /** When status lists are signed (the issuer's clock); `now` when absent. */
  clock?: () => Date;
  /** Store the first receipts batch, then answer 503 as if the answer got lost on the way. */
  loseFirstAck?: boolean;
  /** Binding keys of bound programmes, given to enrolled devices (as the real issuer does). */
  bindingKeys?: BindingKey[];
}

export interface FakeIssuerState {
  devices: Map<string, PublicJwk>;
  receipts: Map<string, Receipt>;
  /** Receipt deliveries, counting re-sent ones. */
  deliveries: number;
  receiptPosts: number;
  usedCodes: Set<string>;
  /** The OpenID4VP relay's records (the same relay logic the issuer runs, in memory). */
  relay: MemoryRelayStore;
  /** The binding keys enrolled devices get now (at enrolment and when they ask at a refresh). */
  bindingKeys: BindingKey[];
}

export interface FakeReply {
  status: number;
  body: string;
  type: string;
}

export interface FakeIssuer {
  world: TestWorld;
  state: FakeIssuerState;
  handle(method: string, path: string, body: string): Promise<FakeReply>;
}

const json = (status: number, value: unknown): FakeReply => ({
  status,
  body: JSON.stringify(value),
  type: "application/json",
});

/** The issuer logic, transport-free. */
export async function createFakeIssuer(
  baseUrl: string,
  options: FakeIssuerOptions,
): Promise<FakeIssuer> {
  const world = await createTestWorld({ baseUrl, now: options.now });
  const state: FakeIssuerState = {
    devices: new Map(),
    receipts: new Map(),
    deliveries: 0,
    receiptPosts: 0,
    usedCodes: new Set(),
    relay: new MemoryRelayStore(),
    bindingKeys: options.bindingKeys ?? [],
  };
  const relayBase = `${baseUrl}/api/openid4vp`;
  const relay = createRelay(state.relay, { baseUrl: relayBase, ttlSeconds: 300, now: () => (options.clock?.() ?? new Date()).getTime() });
  let lostAck = false;

  async function handle(method: string, path: string, body: string): Promise<FakeReply> {
    if (path.startsWith("/api/openid4vp/")) {
      try {
        return await handleRelay(method, path.slice("/api/openid4vp".length), body);
      } catch (e) {
        if (e instanceof Openid4vpError) return json(RELAY_HTTP_STATUS[e.code] ?? 400, { error: { code: e.code } });
        throw e;
      }
    }
    if (method === "POST" && path === ISSUER_ENDPOINTS.enrol) {
      const req = EnrolmentRequest.safeParse(JSON.parse(body || "null"));
      if (!req.success) return json(400, { code: "ERR_INPUT_INVALID" });
      if (req.data.code !== world.setup.code || state.usedCodes.has(req.data.code))
        return json(403, { code: "ERR_SETUP_CODE_USED" });
      if (req.data.servicePoint !== world.servicePoint.id)
        return json(403, { code: "ERR_SERVICE_POINT" });
      state.usedCodes.add(req.data.code);
      const deviceId = `dev-${state.devices.size + 1}`;
      state.devices.set(deviceId, req.data.deviceKey);
      return json(200, { deviceId, servicePoint: world.servicePoint.id, bundle: world.bundleJws, ...(state.bindingKeys.length ? { bindingKeys: state.bindingKeys } : {}) });
    }
    if (method === "POST" && path === ISSUER_ENDPOINTS.bindingKeys) {
      // As the issuer: only for a proof an enrolled device signed for this URL.
      const req = BindingKeysRequest.safeParse(JSON.parse(body || "null"));
      if (!req.success) return json(400, { code: "ERR_INPUT_INVALID" });
      try {
        await verifyRelayOpening(req.data.proof, (d) => state.devices.get(d), baseUrl + path, options.clock?.() ?? options.now);
      } catch {
        return json(403, { code: "ERR_FORBIDDEN" });
      }
      return json(200, { bindingKeys: state.bindingKeys });
    }
    if (method === "GET" && path === ISSUER_ENDPOINTS.trustBundle)
      return json(200, { bundle: world.bundleJws });
    if (
      method === "GET" &&
      (path === new URL(world.statusUrls.revocation).pathname ||
        path === new URL(world.statusUrls.suspension).pathname)
    ) {
      const lists = await world.statusListJwts(options.clock?.() ?? options.now);
      return { status: 200, body: lists[baseUrl + path] ?? "", type: "application/vc+jwt" };
    }
    if (method === "POST" && path === ISSUER_ENDPOINTS.receipts) {
      state.receiptPosts++;
      const sub = ReceiptSubmission.safeParse(JSON.parse(body || "null"));
      if (!sub.success) return json(400, { code: "ERR_INPUT_INVALID" });
      const result: ReceiptSubmissionResult = { accepted: [], duplicate: [], rejected: [] };
      for (const { id, jws } of sub.data.receipts) {
        state.deliveries++;
        if (state.receipts.has(id)) {
          result.duplicate.push(id);
          continue;
        }
        try {
          const r = await verifyReceipt(jws, (d) => state.devices.get(d));
          if (r.id !== id) throw new RedemptionError("ERR_RECEIPT_INVALID", "id mismatch");
          state.receipts.set(id, r);
          result.accepted.push(id);
        } catch (e) {
          result.rejected.push({
            id,
            code: e instanceof RedemptionError ? e.code : "ERR_RECEIPT_INVALID",
          });
        }
      }
      if (options.loseFirstAck && !lostAck) {
        lostAck = true;
        return json(503, { code: "ERR_UNAVAILABLE" });
      }
      return json(200, result);
    }
    return json(404, { code: "ERR_NOT_FOUND" });
  }
  async function handleRelay(method: string, path: string, body: string): Promise<FakeReply> {
    const input = () => JSON.parse(body || "null") as Record<string, string>;
    if (method === "POST" && path === "/requests") {
      const deviceId = await verifyRelayOpening(input().proof ?? "", (d) => state.devices.get(d), `${relayBase}/requests`, options.clock?.() ?? new Date());
      return json(201, await relay.openRequest({ openedBy: deviceId }));
    }
    const request = /^\/requests\/([A-Za-z0-9_-]+)$/.exec(path);
    if (request && method === "GET") return { status: 200, body: await relay.getRequestObject(request[1]!), type: "application/oauth-authz-req+jwt" };
    if (request && method === "POST") {
      const b = input();
      await relay.publishRequestObject(request[1]!, b.transactionId ?? "", b.requestObject ?? "", b.encryptionKid);
      return { status: 204, body: "", type: "text/plain" };
    }
    const answer = /^\/requests\/([A-Za-z0-9_-]+)\/answer$/.exec(path);
    if (answer && method === "POST") {
      const got = await relay.collectAnswer(answer[1]!, input().transactionId ?? "");
      return got.status === "pending" ? { status: 204, body: "", type: "text/plain" } : json(200, { answer: got.answer });
    }
    const response = /^\/responses\/([A-Za-z0-9_-]+)$/.exec(path);
    if (response && method === "POST") {
      await relay.acceptAnswer(response[1]!, body);
      return json(200, {});
    }
    return json(404, { code: "ERR_NOT_FOUND" });
  }

  return { world, state, handle };
}

/** Double redemptions the issuer would flag, over everything received. */
export function flaggedDoubleRedemptions(issuer: FakeIssuer) {
  return findDoubleRedemptions([...issuer.state.receipts.values()]);
}

/** A fetch that calls the fake issuer in-process (unit tests). */
export function fetchVia(issuer: FakeIssuer, online: () => boolean = () => true) {
  return async (input: string, init: RequestInit = {}): Promise<Response> => {
    if (!online()) throw new TypeError("Failed to fetch");
    const url = new URL(input);
    const reply = await issuer.handle(
      (init.method ?? "GET").toUpperCase(),
      url.pathname,
      typeof init.body === "string" ? init.body : "",
    );
    return new Response(reply.status === 204 ? null : reply.body, {
      status: reply.status,
      headers: { "content-type": reply.type },
    });
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/**
 * Serves a fake issuer on 127.0.0.1 (a free port), with CORS open as the real endpoints must be
 * (the verifier app is served from another origin).
 *
 * @example
 * const { issuer, url, close } = await startFakeIssuer({ now: new Date() });
 */
export async function startFakeIssuer(
  options: FakeIssuerOptions,
): Promise<{ issuer: FakeIssuer; url: string; close: () => Promise<void> }> {
  const ready: { issuer?: FakeIssuer } = {};
  const server: Server = createServer((req, res) => {
    void (async () => {
      res.setHeader("access-control-allow-origin", "*");
      res.setHeader("access-control-allow-headers", "content-type");
      res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
      if (req.method === "OPTIONS") {
        res.writeHead(204).end();
        return;
      }
      try {
        if (!ready.issuer) throw new Error("not ready");
        const reply = await ready.issuer.handle(
          req.method ?? "GET",
          new URL(req.url ?? "/", "http://x").pathname,
          await readBody(req),
        );
        res
          .writeHead(reply.status, { "content-type": reply.type, "cache-control": "no-store" })
          .end(reply.body);
      } catch (e) {
        res.writeHead(500, { "content-type": "text/plain" }).end(String(e));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = await createFakeIssuer(url, options);
  ready.issuer = issuer;
  return {
    issuer,
    url,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
