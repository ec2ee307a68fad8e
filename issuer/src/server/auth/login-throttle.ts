/**
 * Console sign-in throttle: failures are counted per account and per client address in the
 * database (so every issuer instance behind a balancer sees the same counts), and past a few free
 * tries each further failure locks that account or address for twice as long as the last one
 * (30 s, 1 min, 2 min, ... up to an hour). A locked sign-in is refused before any password is
 * hashed, and each lockout is audited. A quiet day forgets the failures.
 */
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { appendAuditEvent } from "@/server/audit/append-audit-event";

export interface ThrottlePolicy {
  /** Failures allowed before the first lockout. */
  free: number;
  /** The first lockout; each further failure doubles it. */
  baseMs: number;
  maxMs: number;
}

/** Per account: a person mistyping a few times is never slowed; a guesser is, quickly. */
export const ACCOUNT_POLICY: ThrottlePolicy = { free: 5, baseMs: 30_000, maxMs: 3_600_000 };
/** Per address: an office behind one NAT shares it, so it allows more failures before the same lockouts. */
export const ADDRESS_POLICY: ThrottlePolicy = { ...ACCOUNT_POLICY, free: 20 };
/** Failures older than this are forgotten. */
export const THROTTLE_MEMORY_MS = 24 * 3_600_000;

type Scope = "account" | "address";
const POLICIES: Record<Scope, ThrottlePolicy> = { account: ACCOUNT_POLICY, address: ADDRESS_POLICY };

/** The throttle rows a sign-in attempt counts against. */
export function throttleKeys(email: string, address: string | undefined): { scope: Scope; key: string; subject: string }[] {
  return [{ scope: "account" as const, key: `account:${email}`, subject: email }, ...(address ? [{ scope: "address" as const, key: `address:${address}`, subject: address }] : [])];
}

/**
 * How long the n-th failure in a row locks (0 while within the free tries).
 *
 * @example
 * lockoutMs(6, ACCOUNT_POLICY); // 60_000
 */
export function lockoutMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** (failures - policy.free));
}

/**
 * Refuses (ERR_TOO_MANY_ATTEMPTS, `details.retryAfterSeconds`) while the account or the address is
 * locked. Called before the password is hashed.
 *
 * @example
 * await refuseWhileLocked(ctx, throttleKeys(email, address));
 */
export async function refuseWhileLocked(ctx: ServerContext, keys: { key: string }[]): Promise<void> {
  const now = ctx.now();
  const rows = await ctx.db.loginThrottle.findMany({ where: { key: { in: keys.map((k) => k.key) }, lockedUntil: { gt: now } } });
  if (rows.length === 0) return;
  const until = Math.max(...rows.map((r) => r.lockedUntil!.getTime()));
  const retryAfterSeconds = Math.ceil((until - now.getTime()) / 1000);
  throw new ApiError("ERR_TOO_MANY_ATTEMPTS", `Too many failed sign-ins: try again in ${retryAfterSeconds} s.`, { details: { retryAfterSeconds } });
}

/**
 * Counts a failed sign-in against each key; a failure past the free tries locks the key and is
 * audited as `auth.lockout`.
 *
 * @example
 * await recordLoginFailure(ctx, throttleKeys(email, address));
 */
export async function recordLoginFailure(ctx: ServerContext, keys: { scope: Scope; key: string; subject: string }[]): Promise<void> {
  const now = ctx.now();
  for (const k of keys) {
    const policy = POLICIES[k.scope];
    await ctx.db.$transaction(async (tx) => {
      const row = await tx.loginThrottle.findUnique({ where: { key: k.key } });
      const stale = !row || now.getTime() - row.lastFailureAt.getTime() > THROTTLE_MEMORY_MS;
      // The increment is atomic, so failures counted by two instances at once both count.
      const updated = stale
        ? await tx.loginThrottle.upsert({ where: { key: k.key }, create: { key: k.key, failures: 1, lastFailureAt: now }, update: { failures: 1, lockedUntil: null, lastFailureAt: now } })
        : await tx.loginThrottle.update({ where: { key: k.key }, data: { failures: { increment: 1 }, lastFailureAt: now } });
      const ms = lockoutMs(updated.failures, policy);
      if (ms === 0) return;
      const lockedUntil = new Date(now.getTime() + ms);
      await tx.loginThrottle.update({ where: { key: k.key }, data: { lockedUntil } });
      await appendAuditEvent(tx, ctx, { actorId: null, action: "auth.lockout", subject: k.subject, details: { scope: k.scope, failures: updated.failures, until: lockedUntil.toISOString() } });
    });
  }
  // Forget what nobody has tried for a day (keeps the table as small as the attack).
  await ctx.db.loginThrottle.deleteMany({ where: { lastFailureAt: { lt: new Date(now.getTime() - THROTTLE_MEMORY_MS) } } });
}

/** A successful sign-in clears the account's count (an address's count only fades with time). */
export async function clearAccountFailures(ctx: ServerContext, email: string): Promise<void> {
  await ctx.db.loginThrottle.deleteMany({ where: { key: `account:${email}` } });
}

/**
 * At most `max` password hashes at once in this process, and at most `queue` waiting: scrypt
 * costs 32 MiB and tens of milliseconds each, so a flood of sign-ins must not take every core
 * and the memory with it. Past the queue a sign-in is refused at once (ERR_TOO_MANY_ATTEMPTS).
 *
 * @example
 * const slot = createHashSlots({ max: 2, queue: 16 });
 * const ok = await slot(() => verifyPassword(password, hash));
 */
export function createHashSlots(options: { max: number; queue: number }): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (work) => {
    if (running >= options.max) {
      if (waiting.length >= options.queue) throw new ApiError("ERR_TOO_MANY_ATTEMPTS", "The issuer is busy with other sign-ins; try again in a moment.", { details: { retryAfterSeconds: 1 } });
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}
