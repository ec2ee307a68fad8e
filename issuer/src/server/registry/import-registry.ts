/**
 * Imports a registry source: reads rows through a RegistryConnector, stores beneficiaries with the
 * least data the programme needs, and records progress and per-row errors on the ImportRun.
 * Idempotent: the same row imported again changes nothing (same keyed hash of the registry id, same
 * row hash), a changed row updates the beneficiary in place.
 */
import type { RegistryConnector, RegistryRowError } from "@haki/registry/connector";
import type { RegistryRecord } from "@haki/registry/record";
import type { ServerContext } from "@/server/context";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { canonicalJson, hmacHex, sha256Hex } from "@/server/lib/hash";
import { newBeneficiaryRef, newId } from "@/server/lib/ids";
import { dateParam, openBulkSql, placeholder, type BulkSql, type Statement } from "@/server/lib/bulk-driver";

const BATCH = 1000;

export interface ImportCounts {
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** The keyed hash Haki stores instead of the registry's own id. */
export function registryIdHash(ctx: ServerContext, registryId: string): string {
  return hmacHex(Buffer.from(ctx.env.HAKI_REGISTRY_HASH_KEY, "base64"), registryId.trim());
}

function fields(r: RegistryRecord) {
  return {
    displayName: r.name ?? null,
    area: r.area ?? null,
    householdSize: r.householdSize ?? null,
    povertyScore: r.povertyScore ?? null,
    enrolment: r.enrolment,
    attributes: canonicalJson(r.attributes),
  };
}

/**
 * Runs an import to the end (or to the first whole-file error, which fails the run).
 *
 * @example
 * await importRegistry(ctx, { runId, sourceId, connector, actorId: actor.id });
 */
export async function importRegistry(
  ctx: ServerContext,
  args: { runId: string; sourceId: string; connector: RegistryConnector; actorId: string | null; signal?: AbortSignal },
): Promise<ImportCounts> {
  const counts: ImportCounts = { rowsRead: 0, created: 0, updated: 0, unchanged: 0, rejected: 0 };
  let bytesRead = 0;
  let batch: { line: number; record: RegistryRecord }[] = [];
  let errors: RegistryRowError[] = [];

  const bulk = openBulkSql(ctx.env.DATABASE_URL);
  const flush = async () => {
    const rows = batch;
    const errs = errors;
    batch = [];
    errors = [];
    await storeBatch(ctx, bulk, { runId: args.runId, sourceId: args.sourceId, rows, errors: errs, counts, bytesRead });
  };

  try {
    for await (const item of args.connector.read({ signal: args.signal, onProgress: (p) => (bytesRead = p.bytes ?? bytesRead) })) {
      counts.rowsRead++;
      if (item.ok) batch.push({ line: item.line, record: item.record });
      else {
        counts.rejected++;
        errors.push(...item.errors);
      }
      if (batch.length >= BATCH || errors.length >= BATCH) await flush();
    }
    await flush();
    await bulk.close();
    await ctx.db.$transaction(async (tx) => {
      await tx.importRun.update({ where: { id: args.runId }, data: { status: "completed", finishedAt: ctx.now() } });
      await appendAuditEvent(tx, ctx.now(), { actorId: args.actorId, action: "registry.import", subject: args.runId, details: { ...counts } });
    });
    return counts;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    await bulk.close();
    await ctx.db.$transaction(async (tx) => {
      await tx.importRun.update({ where: { id: args.runId }, data: { status: "failed", finishedAt: ctx.now(), error: error.slice(0, 1000) } });
      await appendAuditEvent(tx, ctx.now(), { actorId: args.actorId, action: "registry.import_failed", subject: args.runId, details: { error: error.slice(0, 200) } });
    });
    throw e;
  }
}

const BENEFICIARY_COLUMNS = [
  "id", "ref", "sourceId", "registryIdHash", "rowHash", "displayName", "area", "householdSize",
  "povertyScore", "enrolment", "attributes", "createdAt", "updatedAt",
] as const;
// On a re-import, only a changed row is written (and its updatedAt moves).
const UPDATED = ["displayName", "area", "householdSize", "povertyScore", "enrolment", "attributes", "rowHash", "updatedAt"];

/** A unique-key clash on the random beneficiary reference (50 bits: rare, but possible). */
function isRefClash(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string; message?: string };
  return (
    (err.code === "SQLITE_CONSTRAINT_UNIQUE" && /Beneficiary\.ref\b/.test(err.message ?? "")) ||
    (err.code === "23505" && err.constraint === "Beneficiary_ref_key")
  );
}

/**
 * Stores one batch in one transaction: an upsert of the beneficiaries keyed by (source, keyed hash
 * of the registry id) that writes only new or changed rows, the rows' errors, and the run's
 * progress. Raw SQL on the bulk connection: through Prisma, compiling these statements cost more
 * than the import's every other step together.
 */
async function storeBatch(
  ctx: ServerContext,
  bulk: BulkSql,
  args: {
    runId: string;
    sourceId: string;
    rows: { line: number; record: RegistryRecord }[];
    errors: RegistryRowError[];
    counts: ImportCounts;
    bytesRead: number;
  },
): Promise<void> {
  const { provider } = bulk;
  const p = placeholder(provider);
  const { counts } = args;
  // The last row wins when a file names the same registry id twice.
  const byHash = new Map<string, { data: ReturnType<typeof fields>; rowHash: string }>();
  for (const { record } of args.rows) {
    const data = fields(record);
    byHash.set(registryIdHash(ctx, record.registryId), { data, rowHash: sha256Hex(canonicalJson(data)) });
  }
  const known = new Map<string, string>();
  if (byHash.size) {
    const hashes = [...byHash.keys()];
    const found = await bulk.query<{ registryIdHash: string; rowHash: string }>(
      `SELECT "registryIdHash", "rowHash" FROM "Beneficiary" WHERE "sourceId" = ${p(1)} AND "registryIdHash" IN (${hashes.map((_, i) => p(i + 2)).join(", ")})`,
      [args.sourceId, ...hashes],
    );
    for (const f of found) known.set(f.registryIdHash, f.rowHash);
  }
  const write = [...byHash].filter(([hash, { rowHash }]) => known.get(hash) !== rowHash);
  const at = ctx.now();
  const statements = (): Statement[] => {
    const out: Statement[] = [];
    if (write.length) {
      const params: unknown[] = [];
      const values = write
        .map(([hash, { data, rowHash }]) => {
          const row = [newId(), newBeneficiaryRef(), args.sourceId, hash, rowHash, data.displayName, data.area, data.householdSize, data.povertyScore, data.enrolment, data.attributes];
          return `(${row.map((v) => p(params.push(v))).join(", ")}, ${dateParam(provider, params, at)}, ${dateParam(provider, params, at)})`;
        })
        .join(", ");
      out.push({
        sql:
          `INSERT INTO "Beneficiary" (${BENEFICIARY_COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${values} ` +
          `ON CONFLICT ("sourceId", "registryIdHash") DO UPDATE SET ${UPDATED.map((c) => `"${c}" = excluded."${c}"`).join(", ")} ` +
          `WHERE "Beneficiary"."rowHash" <> excluded."rowHash"`,
        params,
      });
    }
    if (args.errors.length) {
      const params: unknown[] = [];
      const values = args.errors
        .map((e) => `(${[args.runId, e.line, e.column ?? null, e.code, e.message.slice(0, 500)].map((v) => p(params.push(v))).join(", ")})`)
        .join(", ");
      out.push({ sql: `INSERT INTO "ImportRowError" ("runId", "row", "column", "code", "message") VALUES ${values}`, params });
    }
    return out;
  };
  const created = write.filter(([hash]) => !known.has(hash)).length;
  const next = {
    ...counts,
    created: counts.created + created,
    updated: counts.updated + (write.length - created),
    unchanged: counts.unchanged + (byHash.size - write.length) + (args.rows.length - byHash.size),
  };
  const progress = (): Statement => {
    const params: unknown[] = [];
    const set = (["rowsRead", "created", "updated", "unchanged", "rejected"] as const).map((k) => `"${k}" = ${p(params.push(next[k]))}`);
    set.push(`"bytesRead" = ${p(params.push(args.bytesRead))}`);
    return { sql: `UPDATE "ImportRun" SET ${set.join(", ")} WHERE "id" = ${p(params.push(args.runId))}`, params };
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await bulk.batch([...statements(), progress()]); // fresh ids and references on each attempt
      break;
    } catch (e) {
      if (!isRefClash(e) || attempt >= 5) throw e;
    }
  }
  Object.assign(counts, next);
}
