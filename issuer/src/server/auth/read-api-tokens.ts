import type { ServerContext } from "@/server/context";

/** An API token as the console lists it (never the token, which is stored hashed). */
export interface ApiTokenRow {
  id: string;
  name: string;
  scopes: string;
  revoked: boolean;
  revokedAt: Date | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/**
 * API tokens, newest first: name, scopes, when made, last used, and whether revoked.
 *
 * @example
 * const tokens = await readApiTokens(ctx); // [{ id, name: "Registry sync", scopes: "issue verify", revoked: false, lastUsedAt }]
 */
export async function readApiTokens(ctx: ServerContext): Promise<ApiTokenRow[]> {
  const tokens = await ctx.db.apiToken.findMany({ orderBy: { createdAt: "desc" } });
  return tokens.map((k) => ({ id: k.id, name: k.name, scopes: k.scopes, revoked: k.revokedAt !== null, revokedAt: k.revokedAt, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt }));
}
