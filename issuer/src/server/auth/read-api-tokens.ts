import type { ServerContext } from "@/server/context";

/**
 * API tokens, newest first: name, scopes and whether revoked (never the token, which is stored hashed).
 *
 * @example
 * const tokens = await readApiTokens(ctx); // [{ id, name: "Registry sync", scopes: "issue verify", revoked: false }]
 */
export async function readApiTokens(ctx: ServerContext): Promise<{ id: string; name: string; scopes: string; revoked: boolean }[]> {
  const tokens = await ctx.db.apiToken.findMany({ orderBy: { createdAt: "desc" } });
  return tokens.map((k) => ({ id: k.id, name: k.name, scopes: k.scopes, revoked: k.revokedAt !== null }));
}
