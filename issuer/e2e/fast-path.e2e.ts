/**
 * The issuer's server answers the machine routes (`@/server/api/machine-routes`) without Next's
 * router: here the built issuer runs twice on one database, once as `pnpm start` runs it
 * (src/server/cli/serve.ts) and once under plain `next start`, and every machine route is asked
 * the same question on both: same status, the same headers that matter (content type, caching,
 * CORS, WWW-Authenticate, Retry-After, ETag, compression) and the same body shape. Paths and
 * methods the table does not hold go to Next on the issuer's server: an unknown `/.well-known/`
 * path still answers JSON, another method still 405.
 *
 *   pnpm --dir issuer test:e2e   (needs a build: `pnpm --dir issuer build`; ports HAKI_PORT_BASE + 40, + 41)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPair } from "@haki/credentials/keys";
import { parseCredentialOfferUri } from "@haki/openid4vci/client";
import { createTestDatabase, type TestDatabase } from "@haki/db/testing";
import { parseEnv } from "@/env";
import { createServerContext, setServerContext, type ServerContext } from "@/server/context";
import { createOffer } from "@/server/delivery/create-offer";
import { closeDeliverySql } from "@/server/delivery/delivery-sql";
import { throwawayIssuerEnv } from "@/test/context";
import { createIssuedCycle } from "@/test/fixtures";
import { holderProof } from "@/test/holder-proof";

const ISSUER_DIR = fileURLToPath(new URL("..", import.meta.url));
const BASE = Number(process.env.HAKI_PORT_BASE ?? 3000) + 40;
const FAST = `http://127.0.0.1:${BASE}`;
const NEXT = `http://127.0.0.1:${BASE + 1}`;
const PRE_AUTH = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
/** Connection-level headers node:http writes itself, and values that differ per answer. */
const TRANSPORT = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);
/** `Vary` entries Next's router adds to every answer for its own page requests (RSC); route handlers do not read them. */
const NEXT_ROUTER_VARY = new Set(["rsc", "next-router-state-tree", "next-router-prefetch", "next-router-segment-prefetch"]);

type Answer = { status: number; headers: Record<string, string>; body: Buffer };

/** One HTTP exchange, raw (no automatic decompression: what the server sent is what is compared). */
function ask(base: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: init.method ?? "GET", headers: init.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) });
      });
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** What must match between the two servers: the headers that matter, `vary` without Next's router entries. */
function headersThatMatter(a: Answer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a.headers)) {
    if (TRANSPORT.has(k)) continue;
    if (k === "vary") {
      const rest = v.split(",").map((s) => s.trim().toLowerCase()).filter((s) => s && !NEXT_ROUTER_VARY.has(s));
      if (rest.length) out[k] = rest.join(", ");
      continue;
    }
    out[k] = k === "etag" ? "<etag>" : v;
  }
  return out;
}

/** A body's shape: its JSON keys and value types (values differ: tokens, credentials), or its kind. */
function shape(a: Answer): unknown {
  const raw = a.headers["content-encoding"] === "gzip" ? gunzipSync(a.body) : a.body;
  if (raw.length === 0) return "<empty>";
  const text = raw.toString("utf8");
  try {
    return typeOf(JSON.parse(text));
  } catch {
    return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(text) ? "<jwt>" : "<text>";
  }
}
function typeOf(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(typeOf);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeOf(x)]));
  return typeof v;
}

/** Whether an answer went through Next's router (which adds its RSC `Vary` entries to every answer). */
const viaNextRouter = (a: Answer) => /\brsc\b/i.test(a.headers.vary ?? "");

/** Asks both servers; returns the two answers after checking they agree. */
async function same(path: string, init: Parameters<typeof ask>[2] | ((base: string) => Promise<Parameters<typeof ask>[2]>) = {}) {
  const fast = await ask(FAST, path, typeof init === "function" ? await init(FAST) : init);
  const next = await ask(NEXT, path, typeof init === "function" ? await init(NEXT) : init);
  expect({ status: fast.status, headers: headersThatMatter(fast), body: shape(fast) }).toEqual({ status: next.status, headers: headersThatMatter(next), body: shape(next) });
  return { fast, next };
}

function startServer(command: string[], port: number, env: Record<string, string>): ChildProcess {
  const child = spawn(command[0]!, [...command.slice(1), "--port", String(port), "--hostname", "127.0.0.1"], {
    cwd: ISSUER_DIR,
    env: { ...process.env, ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  return child;
}

async function waitUntilUp(base: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the server for ${base} exited (${child.exitCode})`);
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${base} did not answer`);
}

describe("the issuer's server answers the machine routes as Next does", () => {
  let database: TestDatabase;
  let ctx: ServerContext;
  let offers: string[] = [];
  const servers: ChildProcess[] = [];
  const holder = generateKeyPair();

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    // Both servers name the same credential issuer (the proofs' audience), the first one's URL.
    const raw = { ...throwawayIssuerEnv(database.url, FAST, "haki-fast-path-"), HAKI_OID4VCI_RATE_LIMIT: "1000" };
    ctx = createServerContext(parseEnv(raw), { db: database.db });
    setServerContext(ctx);
    const fx = await createIssuedCycle(ctx, 6);
    offers = await Promise.all(
      fx.entitlements.map(async (e) => (await createOffer(ctx, { entitlementId: e.id, withPin: false, validDays: 1 }, fx.officer.actor)).offerUri),
    );
    const node = [process.execPath, "--import", "tsx", "src/server/cli/serve.ts"];
    servers.push(startServer(node, BASE, raw), startServer([join(ISSUER_DIR, "node_modules", ".bin", "next"), "start"], BASE + 1, raw));
    await Promise.all([waitUntilUp(FAST, servers[0]!), waitUntilUp(NEXT, servers[1]!)]);
  }, 180_000);

  afterAll(async () => {
    for (const s of servers) if (s.pid) process.kill(-s.pid, "SIGTERM");
    await closeDeliverySql(ctx);
    setServerContext(undefined);
    await database.drop();
  });

  /** A fresh offer's token answer on `base` (each offer is used once). */
  const tokenOn = async (base: string) => {
    const offer = await parseCredentialOfferUri(offers.pop()!);
    const code = offer.grants?.[PRE_AUTH]?.["pre-authorized_code"];
    const res = await ask(base, "/api/oid4vci/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "accept-encoding": "gzip" },
      body: new URLSearchParams({ grant_type: PRE_AUTH, "pre-authorized_code": String(code) }).toString(),
    });
    return { res, offer };
  };

  it("token, nonce, credential and notification: the same answers, success and errors", async () => {
    // token: one offer per server, the same shape
    const fastToken = await tokenOn(FAST);
    const nextToken = await tokenOn(NEXT);
    expect(fastToken.res.status).toBe(200);
    // The issuer's server answered without Next's router; plain `next start` went through it.
    expect([viaNextRouter(fastToken.res), viaNextRouter(nextToken.res)]).toEqual([false, true]);
    expect({ h: headersThatMatter(fastToken.res), b: shape(fastToken.res) }).toEqual({ h: headersThatMatter(nextToken.res), b: shape(nextToken.res) });

    await same("/api/oid4vci/nonce", { method: "POST" });
    await same("/api/oid4vci/nonce", { method: "POST", headers: { "accept-encoding": "gzip" } });
    await same("/api/oid4vci/token", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "grant_type=x" });

    // credential: a proof for each server's own token and nonce (gzip asked: the credential is over 1 KB)
    const pair = await holder;
    const { fast, next } = await same("/api/oid4vci/credential", async (base) => {
      const token = JSON.parse(gunzipOrRaw(base === FAST ? fastToken.res : nextToken.res)) as { access_token: string; c_nonce: string };
      const configurationId = (base === FAST ? fastToken : nextToken).offer.credential_configuration_ids[0];
      const proof = await holderProof(pair, token.c_nonce, FAST);
      return {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token.access_token}`, "accept-encoding": "gzip" },
        body: JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: [proof] } }),
      };
    });
    expect(fast.status).toBe(200);
    expect(fast.headers["content-encoding"]).toBe("gzip");
    expect(next.headers["content-encoding"]).toBe("gzip");

    // the spent tokens again, no token, a wrong body: the spec's errors, alike
    await same("/api/oid4vci/credential", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await same("/api/oid4vci/credential", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer nope" }, body: "{}" });
    await same("/api/oid4vci/notification", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer nope" }, body: '{"notification_id":"x","event":"credential_accepted"}' });
  });

  it("CORS preflights of every OpenID4VCI endpoint", async () => {
    for (const ep of ["token", "nonce", "credential", "notification"]) {
      const { fast } = await same(`/api/oid4vci/${ep}`, { method: "OPTIONS", headers: { origin: "https://wallet.example", "access-control-request-method": "POST" } });
      expect(fast.status).toBe(204);
      expect(fast.headers["access-control-allow-origin"]).toBe("*");
    }
  });

  it("status lists: the list, 304 on its ETag, the token form, refused parameters", async () => {
    const { fast } = await same("/status/1/revocation", { headers: { "accept-encoding": "gzip" } });
    expect(fast.status).toBe(200);
    expect(viaNextRouter(fast)).toBe(false);
    expect(fast.headers["cache-control"]).toBe("public, max-age=300");
    await same("/status/1/revocation", { headers: { "if-none-match": fast.headers.etag! } });
    await same("/status/1/token");
    await same("/status/0/revocation");
    await same("/status/1/other");
  });

  it("what the table does not hold goes to Next: unknown /.well-known/ paths answer JSON, other methods 405, a trailing slash redirects", async () => {
    const { fast } = await same("/.well-known/openid-configuration");
    expect(viaNextRouter(fast)).toBe(true);
    expect(fast.status).toBe(404);
    expect(fast.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(fast.body.toString())).toMatchObject({ error: "not_found" });
    await same("/api/oid4vci/unknown", { method: "POST" });
    expect((await same("/api/oid4vci/credential")).fast.status).toBe(405);
    expect((await same("/status/1/revocation", { method: "POST" })).fast.status).toBe(405);
    expect((await same("/api/oid4vci/nonce/", { method: "POST" })).fast.status).toBe(308);
    await same("/.well-known/openid-credential-issuer");
  });

  it("counts the rate limit under the client's socket address when no proxy says otherwise, as Next does", async () => {
    await ask(FAST, "/api/oid4vci/nonce", { method: "POST" });
    await new Promise((r) => setTimeout(r, 600)); // the counts are written every 250 ms
    const rows = await ctx.db.rateLimitWindow.findMany({ where: { key: { startsWith: "nonce|" } } });
    expect(rows.map((r) => r.key.split("|")[1])).toEqual(["127.0.0.1"]);
  });
});

function gunzipOrRaw(a: Answer): string {
  return (a.headers["content-encoding"] === "gzip" ? gunzipSync(a.body) : a.body).toString("utf8");
}
