import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { formatErrorReport } from "@haki/registry/error-report";
import type { RegistryRowErrorCode } from "@haki/registry/connector";

/**
 * An import run's progress, for the console's progress bar.
 *
 * @example
 * const p = await readImportProgress(ctx, runId); // { status: "running", bytesRead, bytesTotal, rowsRead, ... }
 */
export async function readImportProgress(ctx: ServerContext, runId: string) {
  const run = await ctx.db.importRun.findUnique({ where: { id: runId } });
  if (!run) throw new ApiError("ERR_NOT_FOUND", "No such import.");
  const { id, status, fileName, bytesTotal, bytesRead, rowsRead, created, updated, unchanged, rejected, error, startedAt, finishedAt } = run;
  return { id, status, fileName, bytesTotal, bytesRead, rowsRead, created, updated, unchanged, rejected, error, startedAt, finishedAt };
}

/**
 * The per-row error report of a run as a stream of CSV text, read from the database a page at a
 * time (a file with a million bad rows is never held whole).
 *
 * @example
 * return new Response(streamErrorReport(ctx, runId), { headers: { "content-type": "text/csv" } });
 */
export async function streamErrorReport(ctx: ServerContext, runId: string): Promise<ReadableStream<Uint8Array>> {
  const run = await ctx.db.importRun.findUnique({ where: { id: runId } });
  if (!run) throw new ApiError("ERR_NOT_FOUND", "No such import.");
  const encoder = new TextEncoder();
  let after = 0;
  let first = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const page = await ctx.db.importRowError.findMany({ where: { runId, id: { gt: after } }, orderBy: { id: "asc" }, take: 2000 });
      const text = formatErrorReport(
        page.map((e) => ({ line: e.row, column: e.column ?? undefined, code: e.code as RegistryRowErrorCode, message: e.message })),
        { withHeader: first },
      );
      first = false;
      if (text) controller.enqueue(encoder.encode(text));
      if (page.length < 2000) controller.close();
      else after = page[page.length - 1]!.id;
    },
  });
}

/**
 * The latest import runs, newest first, with their source's name.
 *
 * @example
 * const runs = await readRecentImports(ctx); // [{ fileName: "registry.csv", source: "Demo registry", status: "completed", ... }]
 */
export async function readRecentImports(ctx: ServerContext, take = 20) {
  const runs = await ctx.db.importRun.findMany({ orderBy: { startedAt: "desc" }, take, include: { source: { select: { name: true } } } });
  return runs.map(({ source, ...r }) => ({ ...r, source: source.name }));
}
