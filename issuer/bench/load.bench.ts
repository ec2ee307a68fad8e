/**
 * The issuer's HTTP endpoints under load from a second process: `next start` of the built issuer on
 * 127.0.0.1 (a temporary SQLite file), hammered by autocannon with 100 connections.
 *   - status list fetches (GET /status/1/revocation) for 30 s;
 *   - OpenID4VCI credential requests (POST /api/oid4vci/credential): access tokens, nonces and
 *     offers are single use, so N complete deliveries are prepared first (offer -> token over HTTP,
 *     one holder proof each) and the load is those N requests, as fast as the server takes them.
 *   npx tsx issuer/bench/load.bench.ts [credentials=3000] [--duration 30] [--connections 100] [--port 3900]
 * Needs a build (`pnpm --dir issuer build`; this script builds when none exists), holding
 * /tmp/haki-issuer-build.lock while the server runs so no build replaces it meanwhile.
 * Prints the figures and writes bench/results/load.json.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { SignJWT } from "jose";
import { generateKeyPair } from "@haki/credentials/keys";
import { parseCredentialOfferUri } from "@haki/openid4vci/client";
import { createOffer } from "../src/server/delivery/create-offer";
import { startIssuance } from "../src/server/issuance/start-issuance";
import { claimIssuanceJob, runIssuanceJob } from "../src/server/issuance/run-issuance-job";
import {
  ISSUER,
  commandLine,
  flag,
  machine,
  openBenchIssuer,
  seedCycle,
  sizeArg,
  writeResult,
} from "./lib";

const credentials = sizeArg(3000);
const duration = Number(flag("duration", "30"));
const connections = Number(flag("connections", "100"));
const port = Number(flag("port", "3900"));
const origin = `http://127.0.0.1:${port}`;
const LOCK = "/tmp/haki-issuer-build.lock";

if (!existsSync(join(ISSUER, ".next", "BUILD_ID"))) {
  console.log("building the issuer (no .next build found)");
  execFileSync(
    "flock",
    [LOCK, "bash", join(ISSUER, "..", "scripts", "pnpm.sh"), "--dir", "issuer", "build"],
    { stdio: "inherit", cwd: join(ISSUER, "..") },
  );
}

const b = await openBenchIssuer("sqlite", { HAKI_PUBLIC_URL: origin });
let server: ChildProcess | undefined;
try {
  const cycleId = await seedCycle(b, credentials);
  const { jobId } = await startIssuance(b.ctx, cycleId, b.officer);
  await claimIssuanceJob(b.ctx, "bench");
  await runIssuanceJob(b.ctx, jobId, { workerId: "bench" });

  // flock keeps other sessions' builds from replacing .next while this server reads it.
  server = spawn(
    "flock",
    [
      LOCK,
      join(ISSUER, "node_modules", ".bin", "next"),
      "start",
      "--port",
      String(port),
      "--hostname",
      "127.0.0.1",
    ],
    {
      cwd: ISSUER,
      env: {
        ...process.env,
        ...b.childEnv,
        HAKI_PUBLIC_URL: origin,
        HAKI_INPROCESS_WORKER: "false",
        NEXT_TELEMETRY_DISABLED: "1",
        NODE_ENV: "production",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let serverLog = "";
  server.stdout!.on("data", (d: Buffer) => (serverLog += d.toString()));
  server.stderr!.on("data", (d: Buffer) => (serverLog += d.toString()));
  const up = Date.now();
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the issuer exited:\n${serverLog}`);
    if (Date.now() - up > 180_000)
      throw new Error(`the issuer did not answer in 180 s:\n${serverLog}`);
    const ok = await fetch(`${origin}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(`issuer up on ${origin} after ${((Date.now() - up) / 1000).toFixed(1)} s`);

  // Prepare the deliveries: an offer each (in process, as the console does), its token over HTTP.
  const holder = await generateKeyPair();
  const ents = await b.ctx.db.entitlement.findMany({ where: { cycleId }, select: { id: true } });
  let t = performance.now();
  const prepared: { token: string; body: string }[] = [];
  let configurationId = "";
  const queue = [...ents];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let e = queue.pop(); e; e = queue.pop()) {
        const offer = await parseCredentialOfferUri(
          (
            await createOffer(
              b.ctx,
              { entitlementId: e.id, withPin: false, validDays: 1 },
              b.officer,
            )
          ).offerUri,
        );
        configurationId = offer.credential_configuration_ids[0]!;
        const code =
          offer.grants?.["urn:ietf:params:oauth:grant-type:pre-authorized_code"]?.[
            "pre-authorized_code"
          ];
        const res = await fetch(`${origin}/api/oid4vci/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code",
            "pre-authorized_code": String(code),
          }),
        });
        if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
        const token = (await res.json()) as { access_token: string; c_nonce: string };
        const proof = await new SignJWT({ nonce: token.c_nonce })
          .setProtectedHeader({ alg: "EdDSA", typ: "openid4vci-proof+jwt", kid: holder.kid })
          .setAudience(origin)
          .setIssuedAt()
          .sign(holder.privateKey);
        prepared.push({
          token: token.access_token,
          body: JSON.stringify({
            credential_configuration_id: configurationId,
            proof: { proof_type: "jwt", jwt: proof },
          }),
        });
      }
    }),
  );
  const prepSeconds = (performance.now() - t) / 1000;
  console.log(
    `${prepared.length.toLocaleString("en")} offers redeemed for tokens over HTTP in ${prepSeconds.toFixed(1)} s`,
  );

  const summary = (r: autocannon.Result) => ({
    requests: r.requests.total,
    seconds: +r.duration.toFixed(2),
    per_s: Math.round(r.requests.total / r.duration),
    latency_ms: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
    non_2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    bytes_per_response: r.requests.total ? Math.round(r.throughput.total / r.requests.total) : 0,
  });

  // Warm-up, as a running server is: the first requests load modules and sign the list.
  for (let i = 0; i < 20; i++) await fetch(`${origin}/status/1/revocation`).then((r) => r.text());
  const warm = prepared.splice(0, 20);
  for (const p of warm) {
    const r = await fetch(`${origin}/api/oid4vci/credential`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` },
      body: p.body,
    });
    if (!r.ok) throw new Error(`credential: ${r.status} ${await r.text()}`);
  }

  // 1. status list fetches (each one answers the signed list, no If-None-Match)
  const status = summary(
    await autocannon({ url: `${origin}/status/1/revocation`, connections, duration }),
  );
  console.log(
    `status list GET: ${status.per_s.toLocaleString("en")}/s, p50 ${status.latency_ms.p50} ms, p99 ${status.latency_ms.p99} ms, non-2xx ${status.non_2xx}, errors ${status.errors}`,
  );

  // 2. credential requests, one prepared delivery each
  let next = 0;
  t = performance.now();
  const credential = summary(
    await autocannon({
      url: origin,
      connections,
      amount: prepared.length,
      requests: [
        {
          method: "POST",
          path: "/api/oid4vci/credential",
          setupRequest: (req) => {
            const p = prepared[next++ % prepared.length]!;
            return {
              ...req,
              headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` },
              body: p.body,
            };
          },
        },
      ],
    }),
  );
  const delivered =
    (await b.ctx.db.offer.count({ where: { credentialIssuedAt: { not: null } } })) - warm.length;
  console.log(
    `credential POST: ${credential.requests.toLocaleString("en")} in ${credential.seconds} s = ${credential.per_s.toLocaleString("en")}/s, p50 ${credential.latency_ms.p50} ms, p99 ${credential.latency_ms.p99} ms, ` +
      `non-2xx ${credential.non_2xx}, errors ${credential.errors}; ${delivered.toLocaleString("en")} credentials delivered`,
  );
  const result = {
    command: commandLine(),
    machine: machine(),
    at: new Date().toISOString(),
    server: `next start, SQLite, ${origin}`,
    connections,
    status_list: { duration_s: duration, ...status },
    credential: {
      prepared: prepared.length,
      prepare_seconds: +prepSeconds.toFixed(1),
      delivered,
      ...credential,
    },
  };
  console.log(
    `load average ${result.machine.load_average.join(" ")}\ncommand: ${commandLine()}\nwrote ${writeResult("load", result)}`,
  );
} finally {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGTERM"); // flock and the next server it started
    } catch {
      /* already gone */
    }
  }
  await b.close();
}
process.exit(0);
