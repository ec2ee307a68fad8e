/**
 * Receives an uploaded registry file as a stream (never whole in memory), stores it under the data
 * directory, and runs the import in the background. The console polls the run for progress.
 */
import { createReadStream, createWriteStream, mkdirSync, statSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { createCsvConnector } from "@haki/registry/csv";
import { ColumnMapping } from "@haki/registry/record";
import type { ServerContext } from "@/server/context";
import type { Actor } from "@/server/auth/roles";
import { requireRole } from "@/server/auth/roles";
import { ApiError } from "@/server/api/errors";
import { newId } from "@/server/lib/ids";
import { readJsonColumn } from "@/server/lib/json-column";
import { importRegistry, type ImportCounts } from "./import-registry";

/** The largest upload accepted (HAKI_MAX_UPLOAD_MB). */
export function maxUploadBytes(ctx: ServerContext): number {
  return ctx.env.HAKI_MAX_UPLOAD_MB * 1024 * 1024;
}

/**
 * The refusal of a file over the limit.
 *
 * @example
 * throw tooLarge(ctx); // 413 ERR_PAYLOAD_TOO_LARGE
 */
export function tooLarge(ctx: ServerContext): ApiError {
  return new ApiError("ERR_PAYLOAD_TOO_LARGE", `The file is larger than ${ctx.env.HAKI_MAX_UPLOAD_MB} MB, the most this issuer accepts (HAKI_MAX_UPLOAD_MB); split the export or ask the operator.`, {
    details: { maxBytes: maxUploadBytes(ctx) },
  });
}

/** Imports still running in this process, by run id (tests await them; shutdown could abort them). */
export const runningImports = new Map<string, Promise<ImportCounts | undefined>>();

/**
 * Stores an upload and starts importing it.
 *
 * @example
 * const { runId } = await startImport(ctx, { sourceId, fileName: "export.csv", body: request.body }, actor);
 */
export async function startImport(
  ctx: ServerContext,
  args: { sourceId: string; fileName: string; body: ReadableStream<Uint8Array> | null; delimiter?: string },
  actor: Actor,
): Promise<{ runId: string }> {
  requireRole(actor, "officer", "admin");
  const source = await ctx.db.registrySource.findUnique({ where: { id: args.sourceId } });
  if (!source) throw new ApiError("ERR_NOT_FOUND", "No such registry source.");
  if (!args.body) throw new ApiError("ERR_BAD_REQUEST", "The upload is empty.");
  const mapping = readJsonColumn(ColumnMapping, source.mapping, "RegistrySource.mapping");
  const runId = newId();
  const dir = resolve(ctx.env.HAKI_DATA_DIR, "imports");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${runId}.csv`);
  const max = maxUploadBytes(ctx);
  let received = 0;
  // Counts as it streams: past the limit the upload stops, the part written is deleted, and no run
  // is created (nothing half-imported).
  const limit = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (received > max) done(tooLarge(ctx));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(Readable.fromWeb(args.body as WebReadableStream<Uint8Array>), limit, createWriteStream(path));
  } catch (e) {
    rmSync(path, { force: true });
    throw e;
  }
  const size = statSync(path).size;
  if (size === 0) {
    rmSync(path, { force: true });
    throw new ApiError("ERR_BAD_REQUEST", "The upload is empty.");
  }
  await ctx.db.importRun.create({
    data: { id: runId, sourceId: source.id, fileName: args.fileName.slice(0, 200), startedBy: actor.id, bytesTotal: size, startedAt: ctx.now() },
  });
  const connector = createCsvConnector({ open: () => createReadStream(path), mapping, delimiter: args.delimiter });
  const run = importRegistry(ctx, { runId, sourceId: source.id, connector, actorId: actor.id })
    .catch(() => undefined) // recorded on the run as "failed"
    .finally(() => {
      runningImports.delete(runId);
      rmSync(path, { force: true }); // the raw export holds more than Haki keeps: do not leave it on disk
    });
  runningImports.set(runId, run);
  return { runId };
}
