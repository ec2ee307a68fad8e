/**
 * Imports a registry source: reads rows through a RegistryConnector, stores beneficiaries with the
 * least data the programme needs, and records progress and per-row errors on the ImportRun.
 * Idempotent: the same row imported again changes nothing (same keyed hash of the registry id, same
 * row hash), a changed row updates the beneficiary in place.
 */
import type { RegistryConnector, RegistryRowError } from "@haki/registry/connector";
import type { RegistryRecord } from "@haki/registry/record";
import type { Tx } from "@haki/db";
import type { ServerContext } from "../context";
import { appendAuditEvent } from "../audit/append-audit-event";
import { canonicalJson, hmacHex, sha256Hex } from "../lib/hash";
import { newBeneficiaryRef, newId } from "../lib/ids";

const BATCH = 500;

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

  const flush = async () => {
    const rows = batch;
    const errs = errors;
    batch = [];
    errors = [];
    await ctx.db.$transaction(async (tx) => {
      if (rows.length) await upsertBatch(ctx, tx, args.sourceId, rows, counts);
      if (errs.length) {
        await tx.importRowError.createMany({
          data: errs.map((e) => ({ runId: args.runId, row: e.line, column: e.column ?? null, code: e.code, message: e.message.slice(0, 500) })),
        });
      }
      await tx.importRun.update({ where: { id: args.runId }, data: { ...counts, bytesRead } });
    });
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
    await ctx.db.$transaction(async (tx) => {
      await tx.importRun.update({ where: { id: args.runId }, data: { status: "completed", finishedAt: ctx.now() } });
      await appendAuditEvent(tx, ctx.now(), { actorId: args.actorId, action: "registry.import", subject: args.runId, details: { ...counts } });
    });
    return counts;
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    await ctx.db.$transaction(async (tx) => {
      await tx.importRun.update({ where: { id: args.runId }, data: { status: "failed", finishedAt: ctx.now(), error: error.slice(0, 1000) } });
      await appendAuditEvent(tx, ctx.now(), { actorId: args.actorId, action: "registry.import_failed", subject: args.runId, details: { error: error.slice(0, 200) } });
    });
    throw e;
  }
}

async function upsertBatch(
  ctx: ServerContext,
  tx: Tx,
  sourceId: string,
  rows: { line: number; record: RegistryRecord }[],
  counts: ImportCounts,
): Promise<void> {
  // The last row wins when a file names the same registry id twice.
  const byHash = new Map<string, { data: ReturnType<typeof fields>; rowHash: string }>();
  for (const { record } of rows) {
    const data = fields(record);
    byHash.set(registryIdHash(ctx, record.registryId), { data, rowHash: sha256Hex(canonicalJson(data)) });
  }
  const existing = await tx.beneficiary.findMany({
    where: { sourceId, registryIdHash: { in: [...byHash.keys()] } },
    select: { id: true, registryIdHash: true, rowHash: true },
  });
  const known = new Map(existing.map((b) => [b.registryIdHash, b]));
  const creates = [];
  for (const [hash, { data, rowHash }] of byHash) {
    const old = known.get(hash);
    if (!old) {
      creates.push({ id: newId(), ref: newBeneficiaryRef(), sourceId, registryIdHash: hash, rowHash, ...data });
    } else if (old.rowHash === rowHash) {
      counts.unchanged++;
    } else {
      await tx.beneficiary.update({ where: { id: old.id }, data: { ...data, rowHash } });
      counts.updated++;
    }
  }
  if (creates.length) await tx.beneficiary.createMany({ data: creates });
  counts.created += creates.length;
  counts.unchanged += rows.length - byHash.size;
}
