/**
 * `pnpm --filter @haki/issuer seed:demo` (`npm start` runs it after `seed`): demo data made through
 * the issuer's own functions, as an officer and an approver would: a synthetic social registry of
 * 2,000 households (names in Latin, Arabic, Ge'ez and Thai script) imported from CSV, a cash and an
 * in-kind programme for Nairobi (KE-047), one cycle each prepared, approved by someone else and
 * issued, and one enrolled-ready service point. Idempotent: every part is found by its fixed name
 * or code first, so a re-run adds nothing and keeps what is there.
 */
import { createReadStream, createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { z } from "zod";
import { csvColumnMapping, writeSyntheticRegistryCsv } from "@haki/demo-data/csv";
import { migrateDatabase } from "@haki/db/migrate";
import { getEnv } from "@/env";
import { getServerContext, type ServerContext } from "@/server/context";
import { ROLES, type Actor, type Role } from "@/server/auth/roles";
import { saveSource } from "@/server/registry/save-source";
import { runningImports, startImport } from "@/server/registry/start-import";
import { createProgramme, type CreateProgrammeInput } from "@/server/programmes/create-programme";
import { createCycle, type CreateCycleInput } from "@/server/cycles/create-cycle";
import { approveCycle, submitCycle } from "@/server/cycles/transition-cycle";
import { startIssuance } from "@/server/issuance/start-issuance";
import { claimIssuanceJob } from "@/server/issuance/claim-issuance-job";
import { runIssuanceJob } from "@/server/issuance/run-issuance-job";
import { saveServicePoint } from "@/server/verifier/service-points";
import { saveAreaList } from "@/server/areas/save-area-list";
import { adminAreas } from "@haki/demo-data/areas";

const SOURCE = "Demo social registry (synthetic)";
const HOUSEHOLDS = 2000;
const AREA = "KE-047";
const CONTACT = "Call 0800 720 720 (free), Mon-Fri 8-17, or the Nairobi county social office";
const SERVICE_POINT = { id: "sp-demo-nairobi", name: "Nairobi market stall (demo)", area: AREA };
interface DemoProgramme {
  programme: z.input<typeof CreateProgrammeInput> & { code: string; name: string };
  cycle: Omit<z.input<typeof CreateCycleInput>, "programmeId" | "validFrom" | "validUntil"> & { code: string };
}
const PROGRAMMES: DemoProgramme[] = [
  {
    programme: { code: "demo-cash", name: "Cash transfer (demo)", benefitType: "cash", currency: "KES", area: AREA, redemption: "single", contact: CONTACT },
    cycle: { code: "demo-1", amount: "2500", rule: { all: [{ field: "povertyScore", op: "lte", value: 60 }] } },
  },
  {
    programme: { code: "demo-food", name: "Food basket (demo)", benefitType: "inkind", item: "Maize flour", unit: "kg", area: AREA, redemption: "partial", contact: CONTACT },
    cycle: { code: "demo-1", quantity: "10", rule: { all: [{ field: "householdSize", op: "gte", value: 4 }] } },
  },
];

async function actorFor(ctx: ServerContext, email: string): Promise<Actor> {
  const user = await ctx.db.user.findUnique({ where: { email }, include: { roles: true } });
  if (!user) throw new Error(`${email} does not exist: run \`pnpm --filter @haki/issuer seed\` first`);
  const roles = user.roles.map((r) => r.role).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  return { id: user.id, name: user.name, email: user.email, roles, locale: user.locale };
}

/** The registry: one import of the synthetic CSV, through the same path as an upload. */
async function seedRegistry(ctx: ServerContext, officer: Actor): Promise<void> {
  const existing = await ctx.db.registrySource.findFirst({ where: { name: SOURCE } });
  const sourceId = existing?.id ?? (await saveSource(ctx, { name: SOURCE, mapping: csvColumnMapping({ fullName: true }) }, officer)).id;
  if (await ctx.db.importRun.findFirst({ where: { sourceId, status: "completed" } })) {
    console.log(`registry: imported already (${await ctx.db.beneficiary.count()} beneficiaries)`);
    return;
  }
  const dir = resolve(ctx.env.HAKI_DATA_DIR);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "demo-registry.csv");
  const out = createWriteStream(file);
  await writeSyntheticRegistryCsv({ households: HOUSEHOLDS, seed: 7 }, out, { fullName: true });
  const body = Readable.toWeb(createReadStream(file)) as WebReadableStream<Uint8Array> as ReadableStream<Uint8Array>;
  const { runId } = await startImport(ctx, { sourceId, fileName: "demo-registry.csv", body }, officer);
  await runningImports.get(runId);
  rmSync(file, { force: true });
  const run = await ctx.db.importRun.findUniqueOrThrow({ where: { id: runId } });
  if (run.status !== "completed") throw new Error(`registry import ${run.status}: ${run.error ?? ""}`);
  console.log(`registry: ${run.rowsRead} rows read, ${run.created} households created, ${run.rejected} rejected`);
}

/** A programme and its first cycle: prepared by the officer, approved by the approver, issued. */
async function seedProgramme(ctx: ServerContext, p: DemoProgramme, officer: Actor, approver: Actor): Promise<void> {
  const programme = (await ctx.db.programme.findUnique({ where: { code: p.programme.code } })) ?? { id: (await createProgramme(ctx, p.programme, officer)).id };
  let cycle = await ctx.db.cycle.findUnique({ where: { programmeId_code: { programmeId: programme.id, code: p.cycle.code } } });
  if (!cycle) {
    const from = new Date(`${ctx.now().toISOString().slice(0, 10)}T00:00:00Z`);
    const until = new Date(from.getTime() + 90 * 86_400_000);
    const { id } = await createCycle(ctx, { programmeId: programme.id, ...p.cycle, validFrom: from, validUntil: until }, officer);
    cycle = await ctx.db.cycle.findUniqueOrThrow({ where: { id } });
  }
  // Four eyes: the officer submits (the list is frozen), the approver approves that list.
  if (cycle.state === "draft") await submitCycle(ctx, cycle.id, officer);
  cycle = await ctx.db.cycle.findUniqueOrThrow({ where: { id: cycle.id } });
  if (cycle.state === "submitted" && cycle.frozenDigest) await approveCycle(ctx, { cycleId: cycle.id, digest: cycle.frozenDigest }, approver);
  const job = await ctx.db.issuanceJob.findFirst({ where: { cycleId: cycle.id }, orderBy: { createdAt: "desc" } });
  if (!job || job.state !== "completed") {
    await startIssuance(ctx, cycle.id, officer);
    // The web process is not running yet: this process works the queue to the end.
    const workerId = `seed-demo:${process.pid}`;
    for (let claimed = await claimIssuanceJob(ctx, workerId); claimed; claimed = await claimIssuanceJob(ctx, workerId)) {
      await runIssuanceJob(ctx, claimed.id, { workerId });
    }
    // A running issuer's own worker may have claimed it instead: wait for that one.
    for (;;) {
      const latest = await ctx.db.issuanceJob.findFirstOrThrow({ where: { cycleId: cycle.id }, orderBy: { createdAt: "desc" } });
      if (latest.state === "completed") break;
      if (latest.state === "failed") throw new Error(`issuance of ${p.programme.code} failed: ${latest.error ?? ""}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const issued = await ctx.db.entitlement.count({ where: { cycleId: cycle.id, status: { not: "pending" } } });
  console.log(`${p.programme.name} · ${p.cycle.code}: ${issued} entitlements issued`);
}

const ctx = getServerContext();
await migrateDatabase(getEnv().DATABASE_URL);
const officer = await actorFor(ctx, "officer@haki.local");
const approver = await actorFor(ctx, "approver@haki.local");
await seedRegistry(ctx, officer);
// The registry's area list, once: place names instead of area codes.
if ((await ctx.db.area.count()) === 0) console.log(`areas: ${(await saveAreaList(ctx, adminAreas(), officer)).saved} place names`);
for (const p of PROGRAMMES) await seedProgramme(ctx, p, officer, approver);
if (!(await ctx.db.servicePoint.findUnique({ where: { id: SERVICE_POINT.id } }))) {
  await saveServicePoint(ctx, { ...SERVICE_POINT, programmes: PROGRAMMES.map((p) => p.programme.code) }, officer);
}
console.log(`service point: ${SERVICE_POINT.name} (${SERVICE_POINT.id}); console > Service points > Set-up code to enrol a verifier`);
await ctx.db.$disconnect();
