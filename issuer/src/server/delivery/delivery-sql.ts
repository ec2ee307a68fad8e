/**
 * The direct driver connection of the OpenID4VCI endpoints (`@haki/db/bulk`): one per server
 * context, opened on first use and kept for the life of the process, so its statements stay
 * prepared. The credential endpoint's statements, the deliveries' group commit and the anonymous
 * endpoints' rate-limit counts go through it; Prisma stays the way in for everything else. On
 * SQLite its transactions are group committed (`groupTransactions`).
 */
import { groupTransactions, openBulkSql, type BulkSql } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";

/** What a connection is opened from (a server context, or the part of one a caller has). */
type SqlOwner = { env: Pick<ServerContext["env"], "DATABASE_URL"> };

const connections = new WeakMap<SqlOwner, BulkSql>();

/**
 * @example
 * const offer = await findOfferByAccessToken(deliverySql(ctx), { tokenHash, now });
 */
export function deliverySql(ctx: SqlOwner): BulkSql {
  let bulk = connections.get(ctx);
  if (!bulk) {
    // Lives as long as the process, on the request thread: its WAL checkpoints run on a worker.
    const direct = openBulkSql(ctx.env.DATABASE_URL, { backgroundCheckpoints: true });
    // SQLite has one writer at a time: the transactions of one turn commit together.
    bulk = direct.provider === "sqlite" ? groupTransactions(direct) : direct;
    connections.set(ctx, bulk);
  }
  return bulk;
}

/**
 * Closes the context's connection, if it opened one (tests drop their database after).
 *
 * @example
 * await closeDeliverySql(ctx);
 */
export async function closeDeliverySql(ctx: SqlOwner): Promise<void> {
  const bulk = connections.get(ctx);
  connections.delete(ctx);
  await bulk?.close();
}
