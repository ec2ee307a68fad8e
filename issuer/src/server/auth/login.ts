import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { createSession } from "./sessions";
import { verifyPassword, hashPassword } from "./password";
import { clearAccountFailures, createHashSlots, recordLoginFailure, refuseWhileLocked, throttleKeys } from "./login-throttle";

export const LoginInput = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  password: z.string().min(1).max(500),
});

// Verifying against a real hash when the user is unknown (or disabled) keeps the work and the
// timing the same either way: the answer does not tell who has an account.
let decoy: Promise<string> | undefined;

/** Two scrypt hashes at a time per process (a small server has two cores), 32 waiting at most. */
export const loginHashSlots = createHashSlots({ max: 2, queue: 32 });

/**
 * Checks a password and opens a session; null (and an audit event) when it does not match.
 * Throttled per account and per client address (`login-throttle.ts`): while locked, the attempt is
 * refused with ERR_TOO_MANY_ATTEMPTS before any hashing. `mustChangePassword` is true after an
 * admin reset: the console then only lets the person choose a new password.
 *
 * @example
 * const session = await login(ctx, { email, password }, { address: "196.201.214.10" });
 */
export async function login(
  ctx: ServerContext,
  input: z.input<typeof LoginInput>,
  client: { address?: string } = {},
): Promise<{ token: string; expiresAt: Date; userId: string; mustChangePassword: boolean } | null> {
  const { email, password } = LoginInput.parse(input);
  const keys = throttleKeys(email, client.address);
  await refuseWhileLocked(ctx, keys);
  const user = await ctx.db.user.findUnique({ where: { email } });
  decoy ??= hashPassword("decoy-password");
  const usable = user?.passwordHash && !user.disabledAt ? user.passwordHash : null;
  const ok = await loginHashSlots(async () => (usable ? verifyPassword(password, usable) : (await verifyPassword(password, await decoy!), false)));
  if (!user || !ok) {
    await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: user?.id ?? null, action: "auth.login_failed", subject: email, details: client.address ? { address: client.address } : {} }));
    await recordLoginFailure(ctx, keys);
    return null;
  }
  await clearAccountFailures(ctx, email);
  const session = await createSession(ctx, user.id);
  await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: user.id, action: "auth.login", subject: user.id }));
  return { token: session.token, expiresAt: session.expiresAt, userId: user.id, mustChangePassword: user.mustChangePassword };
}
