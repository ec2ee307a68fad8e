/**
 * API tokens for machine callers (the VC-API): random, shown once, stored as SHA-256, each with
 * scopes: "issue" (entitlement credentials of approved cycles), "issue:any" (any VC 2.0 credential
 * the caller composes, signed as this issuer), "verify".
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { sha256Hex } from "@/server/lib/hash";
import { newId, newSecret } from "@/server/lib/ids";
import { requireRole, type Actor } from "./roles";

export const API_SCOPES = ["issue", "issue:any", "verify"] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const CreateApiTokenInput = z.object({ name: z.string().trim().min(1).max(120), scopes: z.array(z.enum(API_SCOPES)).min(1) });

/**
 * Creates a token (admin); the value is returned once and never stored.
 *
 * @example
 * const { token } = await createApiToken(ctx, { name: "MIS integration", scopes: ["verify"] }, admin);
 */
export async function createApiToken(ctx: ServerContext, input: z.input<typeof CreateApiTokenInput>, actor: Actor): Promise<{ id: string; token: string }> {
  requireRole(actor, "admin");
  const i = CreateApiTokenInput.parse(input);
  const id = newId();
  const token = `haki_${newSecret(32)}`;
  await ctx.db.$transaction(async (tx) => {
    await tx.apiToken.create({ data: { id, name: i.name, tokenHash: sha256Hex(token), scopes: i.scopes.join(" "), createdBy: actor.id, createdAt: ctx.now() } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "api_token.create", subject: id, details: { name: i.name, scopes: i.scopes } });
  });
  return { id, token };
}

/**
 * Revokes a token (admin): every call with it is refused (401) from now on. Idempotent.
 *
 * @example
 * await revokeApiToken(ctx, { id }, admin);
 */
export async function revokeApiToken(ctx: ServerContext, input: { id: string }, actor: Actor): Promise<void> {
  requireRole(actor, "admin");
  const row = await ctx.db.apiToken.findUnique({ where: { id: z.string().min(1).max(64).parse(input.id) } });
  if (!row) throw new ApiError("ERR_NOT_FOUND", "No such API token.");
  if (row.revokedAt) return;
  await ctx.db.$transaction(async (tx) => {
    await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: ctx.now() } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "api_token.revoke", subject: row.id, details: { name: row.name } });
  });
}

/**
 * The token of a request's `Authorization: Bearer` header, checked for a scope (one of several when
 * a list is given): 401 without a valid token, 403 without the scope.
 *
 * @example
 * const caller = await requireApiToken(ctx, request, "issue");
 * await requireApiToken(ctx, request, ["issue", "issue:any"]);
 */
export async function requireApiToken(ctx: ServerContext, request: Request, scope: ApiScope | readonly ApiScope[]): Promise<{ id: string; name: string; scopes: ApiScope[] }> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer ([A-Za-z0-9_-]{10,200})$/.exec(header);
  if (!match) throw new ApiError("ERR_UNAUTHENTICATED", "Send an API token: Authorization: Bearer <token>.");
  const row = await ctx.db.apiToken.findUnique({ where: { tokenHash: sha256Hex(match[1]!) } });
  if (!row || row.revokedAt) throw new ApiError("ERR_UNAUTHENTICATED", "This API token is unknown or revoked.");
  const scopes = row.scopes.split(" ").filter((s): s is ApiScope => (API_SCOPES as readonly string[]).includes(s));
  const wanted: readonly ApiScope[] = typeof scope === "string" ? [scope] : scope;
  if (!wanted.some((s) => scopes.includes(s))) throw new ApiError("ERR_FORBIDDEN", `This API token may not ${wanted.join(" or ")}.`);
  await ctx.db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: ctx.now() } });
  return { id: row.id, name: row.name, scopes };
}
