/**
 * The issuer's HTTP endpoints under load from a second process: the issuer's server as `pnpm start`
 * runs it (src/server/cli/serve.ts: Next's custom server on the built issuer, the wallets' routes
 * answered without Next's router) on 127.0.0.1 (a temporary SQLite file, or a fresh PostgreSQL database), hammered by autocannon with
 * 100 connections and a 10 s client timeout (about what a phone's HTTP stack waits).
 *   - status list fetches (GET /status/1/revocation) for 30 s;
 *   - OpenID4VCI credential requests (POST /api/oid4vci/credential, OpenID4VCI 1.0 `proofs`): access tokens, nonces and
 *     offers are single use, so N complete deliveries are prepared first (offer -> token over HTTP,
 *     one holder proof each) and the load is those N requests, as fast as the server takes them
 *     (autocannon ignores --duration when given an amount: to hold 100 clients for 30 s, prepare
 *     as many deliveries as 30 s of it takes, e.g. 30000 at 1,000/s; the offers are made first, then
 *     their tokens taken in a second pass, since access tokens and c_nonces live 300 s).
 *   npx tsx issuer/bench/load.bench.ts [credentials=10000] [--duration 30] [--connections 100]
 *     [--port 3900] [--db sqlite|postgresql] [--instances 1] [--warm 200] [--cpu-prof DIR]
 * --db postgresql runs on a throwaway database of scripts/pg-test.sh's server (or HAKI_BENCH_PG_URL);
 * --instances N starts N server processes on consecutive ports and spreads the connections
 * over them (what a load balancer does); --cpu-prof writes each server's V8 CPU profile to DIR.
 * Needs a build (`pnpm --dir issuer build`; this script builds when none exists), holding
 * /tmp/haki-issuer-build.lock while the server runs so no build replaces it meanwhile.
 *   - the same requests, for as long, against a bare node:http handler doing the same signature
 *     work (bench/bare-credential-server.ts: verify the proof, sign a credential of the same size),
 *     in a process of its own: the ratio of the two rates is what the framework, the protocol checks
 *     and the database cost, whatever else the shared machine is doing at the time.
 * Prints the figures and writes bench/results/load.json (load-postgresql.json with --db postgresql).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { generateKeyPair } from "@haki/credentials/keys";
import { parseCredentialOfferUri } from "@haki/openid4vci/client";
import { createOffer } from "@/server/delivery/create-offer";
import { startIssuance } from "@/server/issuance/start-issuance";
import { claimIssuanceJob } from "@/server/issuance/claim-issuance-job";
import { runIssuanceJob } from "@/server/issuance/run-issuance-job";
import { ISSUER, benchServerEnv, SERVER_NODE_OPTIONS, commandLine, credentialRequestAfter, flag, machine, openBenchIssuer, seedCycle, sizeArg, writeResult } from "./lib";

const credentials = sizeArg(10_000);
const duration = Number(flag("duration", "30"));
const connections = Number(flag("connections", "100"));
const port = Number(flag("port", "3900"));
const provider = flag("db", "sqlite");
if (provider !== "sqlite" && provider !== "postgresql") throw new Error(`--db sqlite|postgresql, not ${provider}`);
const instances = Number(flag("instances", "1"));
const cpuProf = flag("cpu-prof", "");
const warmCount = Number(flag("warm", "200"));
// The credential issuer URL (in offers, proofs' aud): the first instance; the others serve the same.
const origin = `http://127.0.0.1:${port}`;
const origins = Array.from({ length: instances }, (_, i) => `http://127.0.0.1:${port + i}`);
/** Seconds autocannon waits for a response before counting a timeout (its default, made explicit). */
const CLIENT_TIMEOUT_S = 10;
const LOCK = "/tmp/haki-issuer-build.lock";
// autocannon spreads its connections over several URLs (documented); @types/autocannon says string.
const urls = (list: string[]) => (list.length === 1 ? list[0]! : (list as unknown as string));

/**
 * CPU seconds (user + system) a process and its descendants have used so far, from /proc: what a
 * request costs the server whatever else the shared machine runs (the latency figures are not).
 */
function cpuSeconds(pid: number): number {
  const ticks = (p: number) => {
    try {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1]!.split(" ");
      return Number(fields[11]) + Number(fields[12]);
    } catch {
      return 0; // exited
    }
  };
  const children = (p: number): number[] => {
    try {
      return readdirSync(`/proc/${p}/task`).flatMap((tid) => readFileSync(`/proc/${p}/task/${tid}/children`, "utf8").trim().split(" ").filter(Boolean).map(Number));
    } catch {
      return [];
    }
  };
  let total = 0;
  for (const queue = [pid]; queue.length > 0; ) {
    const p = queue.pop()!;
    total += ticks(p);
    queue.push(...children(p));
  }
  return total / CLOCK_TICKS;
}
/** Linux's USER_HZ (the unit of /proc/<pid>/stat's times). */
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
/** CPU ms per request of the processes `pids` and of this one (autocannon, the client), over `phase`. */
async function cpuPerRequest<T extends { requests: number }>(pids: number[], phase: () => Promise<T>): Promise<T & { server_cpu_ms_per_request: number; client_cpu_ms_per_request: number }> {
  const server = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const [s0, c0] = [server(), process.cpuUsage()];
  const result = await phase();
  const client = process.cpuUsage(c0);
  const per = (seconds: number) => (result.requests ? +((seconds * 1000) / result.requests).toFixed(3) : 0);
  return { ...result, server_cpu_ms_per_request: per(server() - s0), client_cpu_ms_per_request: per((client.user + client.system) / 1e6) };
}

if (!existsSync(join(ISSUER, ".next", "BUILD_ID"))) {
  console.log("building the issuer (no .next build found)");
  execFileSync(
    "flock",
    [LOCK, "bash", join(ISSUER, "..", "scripts", "pnpm.sh"), "--dir", "issuer", "build"],
    { stdio: "inherit", cwd: join(ISSUER, "..") },
  );
}

const b = await openBenchIssuer(provider, { HAKI_PUBLIC_URL: origin });
const servers: ChildProcess[] = [];
try {
  const cycleId = await seedCycle(b, credentials);
  const { jobId } = await startIssuance(b.ctx, cycleId, b.officer);
  await claimIssuanceJob(b.ctx, "bench");
  await runIssuanceJob(b.ctx, jobId, { workerId: "bench" });

  if (cpuProf) mkdirSync(cpuProf, { recursive: true });
  const start = (at: string) => {
    // flock keeps other sessions' builds from replacing .next while this server reads it (shared
    // lock: several instances of this bench may run at once, a build takes it exclusively).
    const server = spawn(
      "flock",
      [
        "--shared",
        LOCK,
        // The issuer's server as `pnpm start` runs it (src/server/cli/serve.ts: Next's custom
        // server, the wallets' routes answered without Next's router).
        process.execPath,
        SERVER_NODE_OPTIONS,
        ...(cpuProf ? ["--cpu-prof", `--cpu-prof-dir=${cpuProf}`] : []),
        "--import",
        "tsx",
        join(ISSUER, "src", "server", "cli", "serve.ts"),
        "--port",
        new URL(at).port,
        "--hostname",
        "127.0.0.1",
      ],
      {
        cwd: ISSUER,
        // Every request comes from 127.0.0.1: a limit far above the load keeps the limiter's
        // bookkeeping in the measurement without refusing anything.
        env: benchServerEnv(b, origin, { HAKI_OID4VCI_RATE_LIMIT: "100000000" }),
        stdio: ["ignore", "pipe", "pipe"],
        detached: true,
      },
    );
    servers.push(server);
    let log = "";
    server.stdout!.on("data", (d: Buffer) => (log += d.toString()));
    server.stderr!.on("data", (d: Buffer) => (log += d.toString()));
    return { server, log: () => log };
  };
  const up = Date.now();
  for (const at of origins) {
    const { server, log } = start(at);
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the issuer exited:\n${log()}`);
      if (Date.now() - up > 180_000) throw new Error(`the issuer did not answer in 180 s:\n${log()}`);
      const ok = await fetch(`${at}/api/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  console.log(`issuer up on ${origins.join(", ")} (${provider}) after ${((Date.now() - up) / 1000).toFixed(1)} s`);

  // Prepare the deliveries: an offer each (in process, as the console does; an offer lasts a day),
  // then each offer's token over HTTP and a holder proof. Access tokens and c_nonces live 300 s:
  // the tokens are taken in a second pass, after every offer exists, so the oldest is still live
  // when the load starts (offers made one by one on a busy machine take longer than that).
  const holder = await generateKeyPair();
  const ents = await b.ctx.db.entitlement.findMany({ where: { cycleId }, select: { id: true } });
  let t = performance.now();
  const offerUris: string[] = [];
  const queue = [...ents];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let e = queue.pop(); e; e = queue.pop())
        offerUris.push((await createOffer(b.ctx, { entitlementId: e.id, withPin: false, validDays: 1 }, b.officer)).offerUri);
    }),
  );
  const offerSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const prepared: { token: string; body: string }[] = [];
  let configurationId = "";
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let uri = offerUris.pop(); uri; uri = offerUris.pop()) {
        const offer = await parseCredentialOfferUri(uri);
        configurationId = offer.credential_configuration_ids[0]!;
        const code = offer.grants?.["urn:ietf:params:oauth:grant-type:pre-authorized_code"]?.["pre-authorized_code"];
        const res = await fetch(`${origin}/api/oid4vci/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": String(code) }),
        });
        prepared.push(await credentialRequestAfter(res, holder, origin, configurationId));
      }
    }),
  );
  const tokenSeconds = (performance.now() - t) / 1000;
  const prepSeconds = offerSeconds + tokenSeconds;
  console.log(
    `${prepared.length.toLocaleString("en")} offers made in ${offerSeconds.toFixed(1)} s, redeemed for tokens over HTTP in ${tokenSeconds.toFixed(1)} s`,
  );
  if (tokenSeconds > 240) console.log("note: the first tokens were taken over 240 s ago: some may expire (300 s) before the load reaches them");

  // autocannon with a response listener: when each slow request was sent shows where a tail comes
  // from (a stall at one moment, or a steady share of unlucky requests).
  const run = (opts: autocannon.Options, onResponse?: (latencyMs: number) => void) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
      if (onResponse)
        instance.on("response", (_client: unknown, _status: number, _bytes: number, ms: number) => onResponse(ms));
    });
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

  // Warm-up, as a running server is: the first requests load modules, compile queries, sign the
  // list, and let V8 optimise the hot paths (--warm credential requests per instance, 20 at a time;
  // without it the first wave of 100 requests on a just-started server takes 1-2 s).
  for (const at of origins)
    for (let i = 0; i < 20; i++) await fetch(`${at}/status/1/revocation`).then((r) => r.text());
  const warm = prepared.splice(0, warmCount * instances);
  const warmQueue = [...warm.entries()];
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      for (let item = warmQueue.shift(); item; item = warmQueue.shift()) {
        const [i, p] = item;
        const r = await fetch(`${origins[i % instances]}/api/oid4vci/credential`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` },
          body: p.body,
        });
        if (!r.ok) throw new Error(`credential: ${r.status} ${await r.text()}`);
      }
    }),
  );

  // Requests over 1 s, counted by the second they were sent (from the start of the run).
  const slowTracker = () => {
    const started = performance.now();
    const bySecond = new Map<number, number>();
    return {
      onResponse: (ms: number) => {
        if (ms < 1000) return;
        const sentAt = Math.floor((performance.now() - ms - started) / 1000);
        bySecond.set(sentAt, (bySecond.get(sentAt) ?? 0) + 1);
      },
      bySecond: () => [...bySecond].sort((a, b) => a[0] - b[0]),
    };
  };
  const describeSlow = (slow: [number, number][]) => slow.map(([s, n]) => `${s}s: ${n}`).join(", ") || "none";

  // 1. status list fetches (each one answers the signed list, no If-None-Match)
  const statusSlow = slowTracker();
  const status = summary(
    await run(
      {
        url: urls(origins.map((at) => `${at}/status/1/revocation`)),
        connections,
        duration,
        timeout: CLIENT_TIMEOUT_S,
      },
      statusSlow.onResponse,
    ),
  );
  console.log(`status list GETs over 1 s, by the second they were sent: ${describeSlow(statusSlow.bySecond())}`);
  console.log(
    `status list GET: ${status.per_s.toLocaleString("en")}/s, p50 ${status.latency_ms.p50} ms, p99 ${status.latency_ms.p99} ms, non-2xx ${status.non_2xx}, errors ${status.errors}`,
  );

  // 2. credential requests, one prepared delivery each
  /** Autocannon requests that send the prepared credential requests in turn, each once, to `path`. */
  const credentialRequests = (path: string) => {
    let next = 0;
    return [
      {
        method: "POST" as const,
        path,
        setupRequest: (req: autocannon.Request) => {
          const p = prepared[next++ % prepared.length]!;
          return { ...req, headers: { "content-type": "application/json", authorization: `Bearer ${p.token}` }, body: p.body };
        },
      },
    ];
  };
  t = performance.now();
  const credentialSlow = slowTracker();
  const serverPids = servers.map((server) => server.pid!);
  const credential = await cpuPerRequest(serverPids, async () =>
    summary(
      await run({
        url: urls(origins),
        connections,
        amount: prepared.length,
        timeout: CLIENT_TIMEOUT_S,
        requests: credentialRequests("/api/oid4vci/credential"),
      }, credentialSlow.onResponse),
    ),
  );
  const slow = credentialSlow.bySecond();
  console.log(`credential requests over 1 s, by the second they were sent: ${describeSlow(slow)}`);
  const delivered =
    (await b.ctx.db.offer.count({ where: { credentialIssuedAt: { not: null } } })) - warm.length;
  console.log(
    `credential POST: ${credential.requests.toLocaleString("en")} in ${credential.seconds} s = ${credential.per_s.toLocaleString("en")}/s, p50 ${credential.latency_ms.p50} ms, p99 ${credential.latency_ms.p99} ms, ` +
      `non-2xx ${credential.non_2xx}, errors ${credential.errors}; ${delivered.toLocaleString("en")} credentials delivered; ` +
      `CPU per request: server ${credential.server_cpu_ms_per_request} ms, client ${credential.client_cpu_ms_per_request} ms`,
  );
  if (credential.seconds < duration * 0.9)
    console.log(`note: the ${prepared.length} prepared deliveries ran out after ${credential.seconds} s; pass more to hold ${duration} s`);

  // 3. the same requests against a bare node:http handler doing the same signature work
  const barePort = port + instances + 10;
  const bare = spawn(process.execPath, ["--import", "tsx", join(ISSUER, "bench", "bare-credential-server.ts"), String(barePort)], {
    cwd: ISSUER,
    stdio: ["ignore", "pipe", "inherit"],
    detached: true, // its own process group, ended with the servers below
  });
  servers.push(bare);
  await new Promise<void>((resolve, reject) => {
    bare.stdout!.on("data", (d: Buffer) => (d.toString().includes("bare credential server") ? resolve() : undefined));
    bare.once("exit", () => reject(new Error("the bare server exited")));
  });
  const baseline = await cpuPerRequest([bare.pid!], async () =>
    summary(
      await run({
        url: `http://127.0.0.1:${barePort}`,
        connections,
        duration: Math.max(5, Math.round(credential.seconds)),
        timeout: CLIENT_TIMEOUT_S,
        requests: credentialRequests("/credential"),
      }),
    ),
  );
  const ratio = baseline.per_s ? credential.per_s / baseline.per_s : 0;
  console.log(
    `bare node:http, same signature work: ${baseline.per_s.toLocaleString("en")}/s, p50 ${baseline.latency_ms.p50} ms, p99 ${baseline.latency_ms.p99} ms, errors ${baseline.errors}, ` +
      `CPU per request: server ${baseline.server_cpu_ms_per_request} ms, client ${baseline.client_cpu_ms_per_request} ms; ` +
      `Haki's credential endpoint reached ${(ratio * 100).toFixed(1)} % of it`,
  );
  const result = {
    command: commandLine(),
    machine: machine(),
    at: new Date().toISOString(),
    server: `${instances} x issuer server (src/server/cli/serve.ts), ${provider === "sqlite" ? "SQLite" : "PostgreSQL"}, ${origins.join(" ")}`,
    connections,
    client_timeout_s: CLIENT_TIMEOUT_S,
    status_list: { duration_s: duration, ...status, over_1s_by_second_sent: Object.fromEntries(statusSlow.bySecond()) },
    credential: {
      prepared: prepared.length,
      prepare_seconds: +prepSeconds.toFixed(1),
      token_seconds: +tokenSeconds.toFixed(1),
      delivered,
      ...credential,
      over_1s_by_second_sent: Object.fromEntries(slow),
    },
    bare_node_http: { ...baseline, note: "same requests, a bare node:http handler verifying the proof and signing a credential of the same size" },
    credential_to_bare_ratio: +ratio.toFixed(3),
  };
  console.log(
    `load average ${result.machine.load_average.join(" ")}\ncommand: ${commandLine()}\nwrote ${writeResult(provider === "sqlite" ? "load" : "load-postgresql", result)}`,
  );
} finally {
  for (const server of servers) {
    if (!server.pid) continue;
    try {
      process.kill(-server.pid, "SIGTERM"); // flock and the next server it started
    } catch {
      /* already gone */
    }
  }
  // A CPU profile is written when the server exits: give it the time to.
  if (cpuProf) await new Promise((r) => setTimeout(r, 3000));
  await b.close();
}
process.exit(0);
