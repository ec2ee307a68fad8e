/**
 * Status lists as the issuer publishes them (SQLite): bytes on the wire for N credentials with 1%
 * and 10% revoked (Haki keeps 131,072 entries per list, so N = 1,000,000 is 8 lists), and the
 * time to revoke R issued credentials in one `bulkChangeStatus` call (what
 * POST /api/entitlements/status/bulk does for a batch of death notifications) and publish the
 * changed lists; with --one-by-one K, also K more one by one through `changeStatus` for comparison.
 *   npx tsx issuer/bench/status.bench.ts [size=1000000] [--revoke 10000] [--one-by-one 0]
 * Prints the figures and writes bench/results/status-issuer.json.
 */
import { gzipSync } from "node:zlib";
import { createStatusList, setStatus } from "@haki/status-list/bitstring";
import { changeStatus } from "@/server/status/change-status";
import { bulkChangeStatus } from "@/server/status/bulk-change-status";
import { getStatusListCredential, type StatusPurpose } from "@/server/status/status-lists";
import { STATUS_LIST_SIZE } from "@/server/issuance/entitlement-input";
import { startIssuance } from "@/server/issuance/start-issuance";
import { claimIssuanceJob } from "@/server/issuance/claim-issuance-job";
import { runIssuanceJob } from "@/server/issuance/run-issuance-job";
import { commandLine, flag, machine, openBenchIssuer, seedCycle, sizeArg, writeResult } from "./lib";

const size = sizeArg(1_000_000);
const revoke = Number(flag("revoke", "10000"));
const oneByOne = Number(flag("one-by-one", "0"));

// Part 1: wire size. Lists are filled directly (uniformly random positions, as the spec asks for
// privacy), then published through the issuer's own path.
const wire: {
  revoked_share: number;
  lists: number;
  revoked: number;
  jwt_bytes: number;
  gzip_bytes: number;
  per_list_jwt_bytes: number[];
}[] = [];
for (const share of [0.01, 0.1]) {
  const b = await openBenchIssuer("sqlite");
  try {
    await b.ctx.db.counter.update({ where: { name: "status-index" }, data: { value: size } });
    const lists = Math.ceil(size / STATUS_LIST_SIZE);
    let revoked = 0;
    for (let list = 1; list <= lists; list++) {
      const used = Math.min(STATUS_LIST_SIZE, size - (list - 1) * STATUS_LIST_SIZE);
      let bits = createStatusList(STATUS_LIST_SIZE);
      for (let i = 0; i < used; i++) {
        if (Math.random() < share) {
          bits = setStatus(bits, i);
          revoked++;
        }
      }
      const id = `${list}-revocation`;
      await b.ctx.db.statusList.create({
        data: {
          id,
          list,
          purpose: "revocation",
          size: STATUS_LIST_SIZE,
          bits: new Uint8Array(bits.bytes),
          version: 1,
        },
      });
    }
    const jwts: string[] = [];
    for (let list = 1; list <= lists; list++)
      jwts.push((await getStatusListCredential(b.ctx, list, "revocation" as StatusPurpose)).jwt);
    const row = {
      revoked_share: share,
      lists,
      revoked,
      jwt_bytes: jwts.reduce((a, j) => a + Buffer.byteLength(j), 0),
      gzip_bytes: jwts.reduce((a, j) => a + gzipSync(j).length, 0),
      per_list_jwt_bytes: jwts.map((j) => Buffer.byteLength(j)),
    };
    wire.push(row);
    console.log(
      `${size.toLocaleString("en")} credentials, ${share * 100}% revoked (${revoked.toLocaleString("en")}): ${lists} revocation lists, ` +
        `${row.jwt_bytes.toLocaleString("en")} bytes of VC-JWT (${row.gzip_bytes.toLocaleString("en")} with HTTP gzip)`,
    );
  } finally {
    await b.close();
  }
}

// Part 2: revoke R issued credentials, then publish.
const b = await openBenchIssuer("sqlite");
let revokeResult;
try {
  const cycleId = await seedCycle(b, revoke + oneByOne);
  const { jobId } = await startIssuance(b.ctx, cycleId, b.officer);
  await claimIssuanceJob(b.ctx, "bench");
  await runIssuanceJob(b.ctx, jobId, { workerId: "bench" });
  const ents = await b.ctx.db.entitlement.findMany({
    where: { cycleId },
    select: { id: true, statusList: true },
  });
  const single = ents.slice(0, oneByOne);
  const batch = ents.slice(oneByOne);
  let t = performance.now();
  for (const e of single)
    await changeStatus(
      b.ctx,
      { action: "revoke", entitlementId: e.id, reason: "Death notified by CRVS" },
      b.officer,
    );
  const singleSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const done = await bulkChangeStatus(
    b.ctx,
    { action: "revoke", entitlementIds: batch.map((e) => e.id), reason: "Death notified by CRVS" },
    b.officer,
  );
  const revokeSeconds = (performance.now() - t) / 1000;
  if (done.changed !== batch.length) throw new Error(`bulk revocation changed ${done.changed} of ${batch.length}`);
  t = performance.now();
  const lists = [...new Set(ents.map((e) => e.statusList))];
  for (const list of lists) await getStatusListCredential(b.ctx, list, "revocation");
  const publishSeconds = (performance.now() - t) / 1000;
  revokeResult = {
    revoked: batch.length,
    revoke_seconds: +revokeSeconds.toFixed(3),
    per_s: Math.round(batch.length / revokeSeconds),
    publish_seconds: +publishSeconds.toFixed(3),
    lists_published: lists.length,
    one_by_one: single.length ? { revoked: single.length, seconds: +singleSeconds.toFixed(2), per_s: Math.round(single.length / singleSeconds) } : null,
  };
  console.log(
    `revoked ${batch.length.toLocaleString("en")} credentials in one bulk call in ${revokeResult.revoke_seconds} s (${revokeResult.per_s}/s); published ${lists.length} list(s) in ${revokeResult.publish_seconds} s` +
      (single.length ? `; ${single.length} one by one: ${revokeResult.one_by_one!.seconds} s (${revokeResult.one_by_one!.per_s}/s)` : ""),
  );
} finally {
  await b.close();
}

const result = {
  command: commandLine(),
  machine: machine(),
  at: new Date().toISOString(),
  credentials: size,
  wire,
  revoke: revokeResult,
};
console.log(
  `load average ${result.machine.load_average.join(" ")}\ncommand: ${commandLine()}\nwrote ${writeResult("status-issuer", result)}`,
);
process.exit(0);
