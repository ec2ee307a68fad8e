/**
 * Scale-out check (scripts/test-scale.sh runs it; not a benchmark): two worker PROCESSES share one
 * bulk issuance job, one is killed with SIGKILL in the middle of signing, and the survivor must
 * finish the job with every beneficiary holding exactly one stored credential that verifies.
 *   npx tsx issuer/bench/kill-worker.scale.ts [size=20000] [--db postgresql|sqlite]
 * Exits 1 with the reason on any failure.
 */
import { spawn, type ChildProcess } from "node:child_process";
import type { DbProvider } from "@haki/db";
import { verifyCredential } from "@haki/credentials/verify";
import { trustListOf } from "@haki/credentials/trust";
import { startIssuance } from "@/server/issuance/start-issuance";
import { ISSUER, WORKER_NODE_ARGS, flag, openBenchIssuer, seedCycle, sizeArg } from "./lib";

const size = sizeArg(20_000);
const provider = flag("db", "postgresql") as DbProvider;
const deadlineMs = Number(flag("timeout", "300")) * 1000;

/** Worker processes this run started; none may outlive it, whatever way it ends. */
const children: ChildProcess[] = [];
process.on("exit", () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

function fail(message: string): never {
  console.error(`scale test FAILED: ${message}`);
  process.exit(1);
}

function startWorker(env: Record<string, string>, name: string): ChildProcess {
  const child = spawn(
    process.execPath,
    WORKER_NODE_ARGS,
    {
      cwd: ISSUER,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const tag = (d: Buffer) =>
    d
      .toString()
      .trimEnd()
      .split("\n")
      .map((l) => `  [${name}] ${l}`)
      .join("\n");
  child.stdout!.on("data", (d: Buffer) => console.log(tag(d)));
  child.stderr!.on("data", (d: Buffer) => console.log(tag(d)));
  return child;
}

const b = await openBenchIssuer(provider);
try {
  const cycleId = await seedCycle(b, size);
  await b.ctx.keys.getSigningKey();
  children.push(startWorker(b.childEnv, "A"), startWorker(b.childEnv, "B"));
  const [a] = children as [ChildProcess, ChildProcess];
  const { jobId } = await startIssuance(b.ctx, cycleId, b.officer);
  console.log(
    `${provider}: ${size.toLocaleString("en")} beneficiaries, job ${jobId}, workers pid ${children.map((c) => c.pid).join(" and ")}`,
  );

  const started = Date.now();
  let killedAt = -1;
  let survivor = children[1]!;
  for (;;) {
    if (Date.now() - started > deadlineMs) fail(`job not completed after ${deadlineMs / 1000} s`);
    const job = await b.ctx.db.issuanceJob.findUniqueOrThrow({ where: { id: jobId } });
    if (job.state === "failed") fail(`job failed: ${job.error}`);
    if (job.state === "completed") break;
    if (killedAt < 0) {
      const issued = await b.ctx.db.entitlement.count({ where: { cycleId, status: "issued" } });
      // Kill in the middle of signing: some stored, most still pending.
      if (issued > 0 && issued < size / 2) {
        // The harder case: kill the worker that holds the job (worker ids are host:pid:random).
        const holder = children.find((c) => job.workerId?.split(":")[1] === String(c.pid)) ?? a;
        holder.kill("SIGKILL");
        survivor = children.find((c) => c !== holder)!;
        killedAt = issued;
        console.log(
          `killed the job's worker (pid ${holder.pid}, SIGKILL) with ${issued.toLocaleString("en")} of ${size.toLocaleString("en")} stored`,
        );
      } else if (issued >= size / 2) {
        fail("signing went past half before the kill: use a larger size");
      }
    }
    if (survivor.exitCode !== null) fail("the surviving worker exited");
    await new Promise((r) => setTimeout(r, killedAt < 0 ? 20 : 500));
  }
  if (killedAt < 0) fail("the job completed before a worker could be killed");
  const seconds = (Date.now() - started) / 1000;

  // Exactly one stored credential per beneficiary, each verifying and naming that beneficiary.
  const ents = await b.ctx.db.entitlement.findMany({
    where: { cycleId },
    select: {
      id: true,
      status: true,
      credential: true,
      statusList: true,
      statusIndex: true,
      beneficiary: { select: { ref: true } },
    },
  });
  if (ents.length !== size) fail(`${ents.length} entitlements for ${size} beneficiaries`);
  const perBeneficiary = new Set(ents.map((e) => e.beneficiary.ref));
  if (perBeneficiary.size !== size) fail("a beneficiary has two entitlements");
  if (new Set(ents.map((e) => `${e.statusList}:${e.statusIndex}`)).size !== size)
    fail("two entitlements share a status position");
  const [pub] = await b.ctx.keys.listPublicKeys();
  const trust = trustListOf({
    did: b.ctx.did,
    name: "scale test",
    keys: [{ id: pub!.kid, publicKeyJwk: pub!.publicJwk }],
  });
  const ids = new Set<string>();
  for (const e of ents) {
    if (e.status !== "issued" || !e.credential) fail(`entitlement ${e.id} is ${e.status}`);
    const r = await verifyCredential(e.credential, trust, {
      now: new Date("2027-03-10T10:00:00Z"),
    });
    if (!r.valid) fail(`credential of ${e.id} does not verify: ${r.code}`);
    if (r.payload.vc.credentialSubject.beneficiary !== e.beneficiary.ref)
      fail(`credential of ${e.id} names another beneficiary`);
    if (r.payload.jti !== `urn:uuid:${e.id}`) fail(`credential of ${e.id} carries another id`);
    ids.add(r.payload.jti);
  }
  if (ids.size !== size) fail("two stored credentials share an id");
  const completions = await b.ctx.db.auditEvent.count({
    where: { action: "issuance.complete", subject: jobId },
  });
  if (completions !== 1) fail(`the job was completed ${completions} times`);
  console.log(
    `scale test passed (${provider}): ${size.toLocaleString("en")} beneficiaries, one worker killed at ${killedAt.toLocaleString("en")}, ` +
      `the other finished in ${seconds.toFixed(1)} s; every beneficiary holds exactly one credential, all verify`,
  );
} finally {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await b.close();
}
process.exit(0);
