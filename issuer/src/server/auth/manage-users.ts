/**
 * What an admin does to console users after creating them: edit name and roles, disable (every
 * session ends at once) and enable again, and reset a forgotten password. A reset sets a one-time
 * password that the admin hands over in person; the next sign-in with it can do nothing but choose
 * a new password (Haki sends no e-mail, and a reset link would need it). Every change is audited.
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { newSecret } from "@/server/lib/ids";
import { hashPassword, verifyPassword } from "./password";
import { loginHashSlots } from "./login";
import { ROLES, requireRole, type Actor } from "./roles";

const UserId = z.string().min(1).max(64);

async function findUser(ctx: ServerContext, userId: string) {
  const user = await ctx.db.user.findUnique({ where: { id: UserId.parse(userId) }, include: { roles: true } });
  if (!user) throw new ApiError("ERR_NOT_FOUND", "No such user.");
  return user;
}

/** An admin may not lock themselves out (disable or demote their own account). */
function refuseSelf(actor: Actor, userId: string, what: string): void {
  if (actor.id === userId) throw new ApiError("ERR_CONFLICT", `You cannot ${what} your own account; ask another admin.`);
}

export const UpdateUserInput = z.object({
  userId: UserId,
  name: z.string().trim().min(1).max(120),
  roles: z.array(z.enum(ROLES)).min(1),
});

/**
 * Changes a user's name and roles (admin).
 *
 * @example
 * await updateUser(ctx, { userId, name: "Amina W.", roles: ["officer", "approver"] }, admin);
 */
export async function updateUser(ctx: ServerContext, input: z.input<typeof UpdateUserInput>, actor: Actor): Promise<void> {
  requireRole(actor, "admin");
  const i = UpdateUserInput.parse(input);
  const user = await findUser(ctx, i.userId);
  if (actor.id === user.id && !i.roles.includes("admin")) refuseSelf(actor, user.id, "remove the admin role from");
  await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { name: i.name } });
    await tx.userRole.deleteMany({ where: { userId: user.id } });
    await tx.userRole.createMany({ data: i.roles.map((role) => ({ userId: user.id, role })) });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "user.update", subject: user.id, details: { roles: i.roles, before: user.roles.map((r) => r.role) } });
  });
}

/**
 * Disables a user: they cannot sign in (password or OIDC) and every open session ends now.
 *
 * @example
 * await disableUser(ctx, { userId, reason: "left the programme" }, admin);
 */
export async function disableUser(ctx: ServerContext, input: { userId: string; reason?: string }, actor: Actor): Promise<void> {
  requireRole(actor, "admin");
  const user = await findUser(ctx, input.userId);
  refuseSelf(actor, user.id, "disable");
  await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: ctx.now() } });
    const { count } = await tx.session.deleteMany({ where: { userId: user.id } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "user.disable", subject: user.id, details: { reason: (input.reason ?? "").slice(0, 200), sessionsEnded: count } });
  });
}

/**
 * Enables a disabled user again.
 *
 * @example
 * await enableUser(ctx, { userId }, admin);
 */
export async function enableUser(ctx: ServerContext, input: { userId: string }, actor: Actor): Promise<void> {
  requireRole(actor, "admin");
  const user = await findUser(ctx, input.userId);
  await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { disabledAt: null } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "user.enable", subject: user.id });
  });
}

/**
 * Resets a user's password to a one-time password (returned once, never stored in clear): their
 * sessions end, their sign-in throttle is cleared, and the next sign-in must choose a new password.
 *
 * @example
 * const { oneTimePassword } = await resetPassword(ctx, { userId }, admin); // give it in person
 */
export async function resetPassword(ctx: ServerContext, input: { userId: string }, actor: Actor, options: { scrypt?: { N: number; r: number; p: number } } = {}): Promise<{ oneTimePassword: string }> {
  requireRole(actor, "admin");
  const user = await findUser(ctx, input.userId);
  if (user.oidcSubject && !user.passwordHash) throw new ApiError("ERR_INVALID_STATE", "This person signs in through the identity provider: reset the password there.");
  const oneTimePassword = newSecret(12);
  const passwordHash = await hashPassword(oneTimePassword, options.scrypt);
  await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: true } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await tx.loginThrottle.deleteMany({ where: { key: `account:${user.email}` } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "user.password_reset", subject: user.id });
  });
  return { oneTimePassword };
}

export const ChangePasswordInput = z
  .object({
    current: z.string().min(1).max(500),
    next: z.string().min(12, "at least 12 characters").max(500),
  })
  .refine((v) => v.next !== v.current, { message: "the new password must differ from the old one", path: ["next"] });

/**
 * The signed-in person chooses a new password (after a reset, or any time): the current one is
 * checked, other sessions end, and the reset flag is cleared.
 *
 * @example
 * await changePassword(ctx, { current: oneTimePassword, next: "a long new passphrase" }, actor, sessionId);
 */
export async function changePassword(ctx: ServerContext, input: z.input<typeof ChangePasswordInput>, actor: Actor, keepSessionId?: string, options: { scrypt?: { N: number; r: number; p: number } } = {}): Promise<void> {
  const i = ChangePasswordInput.parse(input);
  const user = await findUser(ctx, actor.id);
  const ok = user.passwordHash ? await loginHashSlots(() => verifyPassword(i.current, user.passwordHash!)) : false;
  if (!ok) {
    await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: actor.id, action: "user.password_change_failed", subject: user.id }));
    throw new ApiError("ERR_FORBIDDEN", "The current password is not right.");
  }
  const passwordHash = await hashPassword(i.next, options.scrypt);
  await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
    await tx.session.deleteMany({ where: { userId: user.id, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "user.password_change", subject: user.id });
  });
}
