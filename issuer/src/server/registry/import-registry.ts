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
import { identityFactsOf, sealIdentityFacts } from "./identity-facts";
import { markStale } from "@/server/lib/read-cache";
import { newBeneficiaryRef, newId } from "@/server/lib/ids";
import {
  importProgressStatement,
  insertRowErrorsStatement,
  openBulkSql,
  selectKnownRows,
  upsertBeneficiariesStatement,
  type BulkSql,
  type ImportCounts,
  type Statement,
} from "@haki/db/bulk";

const BATCH = 1000;

export type { ImportCounts };

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
      await appendAuditEvent(tx, ctx, { actorId: args.actorId, action: "registry.import", subject: args.runId, details: { ...counts } });
    });
    // Who qualifies for a draft cycle and which areas exist may have changed.
    markStale(ctx, "registry-areas", "cycle-qualify:", "dashboard");
    return counts;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    await bulk.close();
    await ctx.db.$transaction(async (tx) => {
      await tx.importRun.update({ where: { id: args.runId }, data: { status: "failed", finishedAt: ctx.now(), error: error.slice(0, 1000) } });
      const code = typeof (e as { code?: unknown })?.code === "string" ? (e as { code: string }).code : null;
      await appendAuditEvent(tx, ctx, { actorId: args.actorId, action: "registry.import_failed", subject: args.runId, details: { error: error.slice(0, 200), code } });
    });
    throw e;
  }
}

/**
 * Stores one batch in one transaction: an upsert of the beneficiaries keyed by (source, keyed hash
 * of the registry id) that writes only new or changed rows, the rows' errors, and the run's
 * progress, on the bulk connection (`@haki/db/bulk`).
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
  const { counts } = args;
  // The last row wins when a file names the same registry id twice.
  const byHash = new Map<string, { data: ReturnType<typeof fields>; rowHash: string; identityFacts: string | null }>();
  for (const { record } of args.rows) {
    const data = fields(record);
    const hash = registryIdHash(ctx, record.registryId);
    const facts = identityFactsOf(record);
    // The row hash covers the identity facts through a keyed digest: a plain hash of an ID number
    // and a date of birth would be found by trying them all.
    const digest = facts ? hmacHex(Buffer.from(ctx.env.HAKI_REGISTRY_HASH_KEY, "base64"), canonicalJson(facts)) : undefined;
    byHash.set(hash, {
      data,
      rowHash: sha256Hex(canonicalJson(digest ? { ...data, identity: digest } : data)),
      identityFacts: facts ? sealIdentityFacts(ctx, hash, facts) : null,
    });
  }
  const known = await selectKnownRows(bulk, { sourceId: args.sourceId, hashes: [...byHash.keys()] });
  const write = [...byHash].filter(([hash, { rowHash }]) => known.get(hash) !== rowHash);
  const at = ctx.now();
  const created = write.filter(([hash]) => !known.has(hash)).length;
  const next = {
    ...counts,
    created: counts.created + created,
    updated: counts.updated + (write.length - created),
    unchanged: counts.unchanged + (byHash.size - write.length) + (args.rows.length - byHash.size),
  };
  // Fresh ids and references on each attempt: a new reference may clash with a stored one (50
  // random bits: rare, but possible), and the whole batch is then tried again.
  const statements = (): Statement[] => [
    ...(write.length
      ? [
          upsertBeneficiariesStatement(bulk, {
            sourceId: args.sourceId,
            at,
            rows: write.map(([hash, { data, rowHash, identityFacts }]) => ({ id: newId(), ref: newBeneficiaryRef(), registryIdHash: hash, rowHash, identityFacts, ...data })),
          }),
        ]
      : []),
    ...(args.errors.length ? [insertRowErrorsStatement(bulk, { runId: args.runId, errors: args.errors })] : []),
    importProgressStatement(bulk, { runId: args.runId, counts: next, bytesRead: args.bytesRead }),
  ];
  for (let attempt = 1; ; attempt++) {
    try {
      await bulk.batch(statements());
      break;
    } catch (e) {
      if (!bulk.isUniqueViolation(e, "Beneficiary", "ref") || attempt >= 5) throw e;
    }
  }
  Object.assign(counts, next);
}
