/**
 * The credential endpoint's own cost, without Next or HTTP: the route handler of
 * POST /api/oid4vci/credential called in process, `--concurrency` requests at a time, on prepared
 * deliveries (an offer each, redeemed for a token through the token route, a holder proof). Shows
 * what the handler, the protocol checks, the signing and the database cost per request (with the
 * server's young generation, SERVER_NODE_OPTIONS); `--cpu-prof` shows where the time goes.
 *   pnpm bench:credential-handler [credentials=3000] [--concurrency 100] [--db sqlite|postgresql]
 *     [--cpu-prof FILE]   (a V8 CPU profile of the measured requests only, for Chrome's DevTools)
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { generateKeyPair } from "@haki/credentials/keys";
import { parseCredentialOfferUri } from "@haki/openid4vci/client";
import { POST as credentialRoute } from "@/app/api/oid4vci/credential/route";
import { POST as tokenRoute } from "@/app/api/oid4vci/token/route";
import { createOffer } from "@/server/delivery/create-offer";
import { claimIssuanceJob } from "@/server/issuance/claim-issuance-job";
import { runIssuanceJob } from "@/server/issuance/run-issuance-job";
import { startIssuance } from "@/server/issuance/start-issuance";
import { credentialRequestAfter, flag, machine, openBenchIssuer, seedCycle, sizeArg } from "./lib";

const credentials = sizeArg(3_000);
const concurrency = Number(flag("concurrency", "100"));
const provider = flag("db", "sqlite");
const cpuProf = flag("cpu-prof", "");
if (provider !== "sqlite" && provider !== "postgresql") throw new Error(`--db sqlite|postgresql, not ${provider}`);
const origin = "http://127.0.0.1:3900";
const context = { params: Promise.resolve({}) } as never;

const b = await openBenchIssuer(provider, { HAKI_PUBLIC_URL: origin, HAKI_OID4VCI_RATE_LIMIT: "100000000" });
try {
  const cycleId = await seedCycle(b, credentials);
  const { jobId } = await startIssuance(b.ctx, cycleId, b.officer);
  await claimIssuanceJob(b.ctx, "bench");
  await runIssuanceJob(b.ctx, jobId, { workerId: "bench" });

  const holder = await generateKeyPair();
  const ents = await b.ctx.db.entitlement.findMany({ where: { cycleId }, select: { id: true } });
  const prepared: { token: string; body: string }[] = [];
  for (const e of ents) {
    const offer = await parseCredentialOfferUri((await createOffer(b.ctx, { entitlementId: e.id, withPin: false, validDays: 1 }, b.officer)).offerUri);
    const code = offer.grants?.["urn:ietf:params:oauth:grant-type:pre-authorized_code"]?.["pre-authorized_code"];
    const res = await tokenRoute(
      new Request(`${origin}/api/oid4vci/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "127.0.0.1" },
        body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:pre-authorized_code", "pre-authorized_code": String(code) }),
      }),
      context,
    );
    prepared.push(await credentialRequestAfter(res, holder, origin, offer.credential_configuration_ids[0]));
  }

  const send = async (p: { token: string; body: string }) => {
    const started = performance.now();
    const res = await credentialRoute(
      new Request(`${origin}/api/oid4vci/credential`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${p.token}`, "x-forwarded-for": "127.0.0.1" }, body: p.body }),
      context,
    );
    await res.text();
    if (!res.ok) throw new Error(`credential: ${res.status}`);
    return performance.now() - started;
  };
  // Warm: modules, compiled queries, V8's optimiser.
  const warm = prepared.splice(0, Math.min(200, Math.floor(prepared.length / 5)));
  for (let i = 0; i < warm.length; i += 20) await Promise.all(warm.slice(i, i + 20).map(send));

  const profiler = cpuProf ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post("Profiler.enable");
    await profiler.post("Profiler.start");
  }
  const latencies: number[] = [];
  const queue = [...prepared];
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let p = queue.pop(); p; p = queue.pop()) latencies.push(await send(p));
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  if (profiler) writeFileSync(cpuProf, JSON.stringify((await profiler.post("Profiler.stop")).profile));
  latencies.sort((x, y) => x - y);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!);
  console.log(
    `in process (${provider}): ${latencies.length} credential requests in ${seconds.toFixed(2)} s = ${Math.round(latencies.length / seconds)}/s, ` +
      `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, ${concurrency} at a time; load average ${machine().load_average.join(" ")}`,
  );
} finally {
  await b.close();
}
process.exit(0);
