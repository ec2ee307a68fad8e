import { openBenchIssuer, seedCycle } from "./lib";
import { startIssuance } from "../src/server/issuance/start-issuance";
import { claimIssuanceJob, runIssuanceJob, signPage, storeSigned } from "../src/server/issuance/run-issuance-job";
import { selectPending } from "../src/server/issuance/bulk-sql";
const prov = (process.argv[2] ?? "sqlite") as "sqlite";
const b = await openBenchIssuer(prov);
const cycleId = await seedCycle(b, 100000);
const { jobId } = await startIssuance(b.ctx, cycleId, b.officer);
await claimIssuanceJob(b.ctx, "p");
let t = performance.now();
await runIssuanceJob(b.ctx, jobId, { workerId: "p", stopAfterPrepare: true });
console.log("prepare 100k s", ((performance.now() - t) / 1000).toFixed(2));
const cycle = await b.ctx.db.cycle.findUniqueOrThrow({ where: { id: cycleId }, include: { programme: true } });
const key = await b.ctx.keys.getSigningKey();
const tm = { read: 0, sign: 0, store: 0 };
let after: string | null = null;
for (let i = 0; i < 30; i++) {
  t = performance.now();
  const page = await selectPending(b.ctx.db, prov, { cycleId, filter: { kind: "ids", after }, limit: 1000 });
  tm.read += performance.now() - t; t = performance.now();
  const jwts = await signPage(page, { cycle, key, publicUrl: "https://x.test", sign: (await import("@haki/credentials/sign")).signCredential });
  tm.sign += performance.now() - t; t = performance.now();
  await b.ctx.db.$transaction((tx) => storeSigned(tx, page, jwts, new Date(), prov));
  tm.store += performance.now() - t;
  after = page[page.length - 1]!.id;
}
console.log("per 1000 (ms):", Object.fromEntries(Object.entries(tm).map(([k, v]) => [k, (v / 30).toFixed(1)])));
await b.close();
process.exit(0);
