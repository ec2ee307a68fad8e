import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { createSession } from "./sessions";
import { verifyPassword, hashPassword } from "./password";

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  password: z.string().min(1).max(500),
});

// Verifying against a real hash when the user is unknown keeps the timing the same either way.
let decoy: Promise<string> | undefined;

/**
 * Checks a password and opens a session; null (and an audit event) when it does not match.
 *
 * @example
 * const session = await login(ctx, { email, password });
 */
export async function login(
  ctx: ServerContext,
  input: z.input<typeof LoginInput>,
): Promise<{ token: string; expiresAt: Date; userId: string } | null> {
  const { email, password } = LoginInput.parse(input);
  const user = await ctx.db.user.findUnique({ where: { email } });
  decoy ??= hashPassword("decoy-password");
  const ok = user?.passwordHash && !user.disabledAt ? await verifyPassword(password, user.passwordHash) : (await verifyPassword(password, await decoy), false);
  if (!user || !ok) {
    await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: user?.id ?? null, action: "auth.login_failed", subject: email }));
    return null;
  }
  const session = await createSession(ctx, user.id);
  await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: user.id, action: "auth.login", subject: user.id }));
  return { token: session.token, expiresAt: session.expiresAt, userId: user.id };
}
