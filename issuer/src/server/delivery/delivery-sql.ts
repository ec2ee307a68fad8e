/**
 * The direct driver connection of the OpenID4VCI credential endpoint (`@haki/db/bulk`): one per
 * server context, opened on first use and kept for the life of the process, so its statements stay
 * prepared. Prisma stays the way in for everything else (and for the deliveries' group commit).
 */
import { openBulkSql, type BulkSql } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";

const connections = new WeakMap<ServerContext, BulkSql>();

/**
 * @example
 * const offer = await findOfferByAccessToken(deliverySql(ctx), { tokenHash, now });
 */
export function deliverySql(ctx: ServerContext): BulkSql {
  let bulk = connections.get(ctx);
  if (!bulk) connections.set(ctx, (bulk = openBulkSql(ctx.env.DATABASE_URL)));
  return bulk;
}

/**
 * Closes the context's connection, if it opened one (tests drop their database after).
 *
 * @example
 * await closeDeliverySql(ctx);
 */
export async function closeDeliverySql(ctx: ServerContext): Promise<void> {
  const bulk = connections.get(ctx);
  connections.delete(ctx);
  await bulk?.close();
}
