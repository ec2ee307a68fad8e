import { databaseProvider } from "@haki/db";
import type { ServerContext } from "@/server/context";

/**
 * Marks imports left "running" by a process that stopped as failed, so the console does not show a
 * progress bar that never moves (the file can be uploaded again, a DCI import started again:
 * re-import is idempotent). Only on
 * the embedded SQLite profile, where the one web process is the only importer; on PostgreSQL
 * another process may still be importing.
 *
 * @example
 * await recoverInterruptedImports(ctx); // at start-up
 */
export async function recoverInterruptedImports(ctx: ServerContext): Promise<number> {
  if (databaseProvider(ctx.env.DATABASE_URL) !== "sqlite") return 0;
  const { count } = await ctx.db.importRun.updateMany({
    where: { status: "running" },
    data: { status: "failed", finishedAt: ctx.now(), error: "The issuer stopped during this import; upload the file again, or start the registry import again (rows already imported are not duplicated)." },
  });
  return count;
}
