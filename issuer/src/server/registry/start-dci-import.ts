/**
 * Starts an import from a DCI Social Registry source: the connector pages through the registry's
 * sync search in the background while the console polls the run, exactly as for an uploaded file.
 */
import type { ServerContext } from "@/server/context";
import type { Actor } from "@/server/auth/roles";
import { requireRole } from "@/server/auth/roles";
import { ApiError } from "@/server/api/errors";
import { newId } from "@/server/lib/ids";
import { importRegistry } from "./import-registry";
import { dciConnectorFor, readDciSettings } from "./dci-source";
import { runningImports } from "./start-import";

/**
 * Starts importing a DCI source; one import per source at a time.
 *
 * @example
 * const { runId } = await startDciImport(ctx, { sourceId }, actor);
 */
export async function startDciImport(ctx: ServerContext, args: { sourceId: string }, actor: Actor): Promise<{ runId: string }> {
  requireRole(actor, "officer", "admin");
  const source = await ctx.db.registrySource.findUnique({ where: { id: args.sourceId } });
  if (!source) throw new ApiError("ERR_NOT_FOUND", "No such registry source.");
  if (source.kind !== "dci") throw new ApiError("ERR_BAD_REQUEST", "This source reads CSV files: upload a file to import it.");
  // Two passes over the same registry at once would only race each other's upserts.
  const busy = await ctx.db.importRun.findFirst({ where: { sourceId: source.id, status: "running" }, select: { id: true } });
  if (busy && runningImports.has(busy.id)) throw new ApiError("ERR_CONFLICT", "An import from this registry is already running.");
  const connector = dciConnectorFor(ctx, source);
  const runId = newId();
  const host = new URL(readDciSettings(source).config.baseUrl).host;
  await ctx.db.importRun.create({
    data: { id: runId, sourceId: source.id, fileName: `DCI ${host}`.slice(0, 200), startedBy: actor.id, bytesTotal: 0, startedAt: ctx.now() },
  });
  const run = importRegistry(ctx, { runId, sourceId: source.id, connector, actorId: actor.id })
    .catch(() => undefined) // recorded on the run as "failed"
    .finally(() => runningImports.delete(runId));
  runningImports.set(runId, run);
  return { runId };
}
