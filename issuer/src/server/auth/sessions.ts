/**
 * Console sessions: a random token in an HttpOnly cookie, stored only as its SHA-256, with a
 * per-session CSRF token that every form and console fetch sends back.
 */
import { sha256Hex, safeEqual } from "@/server/lib/hash";
import { newSecret } from "@/server/lib/ids";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { ROLES, type Actor, type Role } from "./roles";

export const SESSION_COOKIE = "haki_session";
export const CSRF_HEADER = "x-csrf-token";

export interface SessionInfo {
  actor: Actor;
  csrfToken: string;
  expiresAt: Date;
  /** The stored id (SHA-256 of the cookie value). */
  sessionId: string;
  /** After an admin reset: nothing but choosing a new password is allowed. */
  mustChangePassword: boolean;
}

/**
 * Opens a session for a user; returns the cookie value (shown once, never stored).
 *
 * @example
 * const { token, expiresAt } = await createSession(ctx, user.id);
 */
export async function createSession(ctx: ServerContext, userId: string): Promise<{ token: string; expiresAt: Date; csrfToken: string }> {
  const token = newSecret();
  const csrfToken = newSecret();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + ctx.env.HAKI_SESSION_HOURS * 3_600_000);
  await ctx.db.session.create({ data: { id: sha256Hex(token), userId, csrfToken, createdAt: now, lastSeenAt: now, expiresAt } });
  // Expired sessions go as new ones come (an indexed delete): the table holds what is live.
  await ctx.db.session.deleteMany({ where: { expiresAt: { lt: now } } });
  return { token, expiresAt, csrfToken };
}

/**
 * The session behind a cookie value, or null (unknown, expired, or the user is disabled).
 *
 * @example
 * const session = await readSession(ctx, cookieValue);
 */
export async function readSession(ctx: ServerContext, token: string | undefined): Promise<SessionInfo | null> {
  if (!token || token.length > 200) return null;
  const row = await ctx.db.session.findUnique({ where: { id: sha256Hex(token) }, include: { user: { include: { roles: true } } } });
  if (!row || row.expiresAt <= ctx.now() || row.user.disabledAt) return null;
  const roles = row.user.roles.map((r) => r.role).filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  return {
    actor: { id: row.user.id, name: row.user.name, email: row.user.email, roles, locale: row.user.locale },
    csrfToken: row.csrfToken,
    expiresAt: row.expiresAt,
    sessionId: row.id,
    mustChangePassword: row.user.mustChangePassword,
  };
}

/** Ends a session (logout). */
export async function deleteSession(ctx: ServerContext, token: string | undefined): Promise<void> {
  if (token) await ctx.db.session.deleteMany({ where: { id: sha256Hex(token) } });
}

/** Reads a cookie from a Cookie header. */
export function cookieValue(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return undefined;
}

/**
 * The signed-in actor of a route handler request; 401 without a valid session, and 403 ERR_CSRF
 * for a state-changing request whose CSRF header does not match the session.
 *
 * @example
 * const { actor } = await requireSession(ctx, request);
 */
export async function requireSession(ctx: ServerContext, request: Request): Promise<SessionInfo> {
  const session = await readSession(ctx, cookieValue(request.headers.get("cookie"), SESSION_COOKIE));
  if (!session) throw new ApiError("ERR_UNAUTHENTICATED", "Sign in first.");
  if (session.mustChangePassword) throw new ApiError("ERR_PASSWORD_CHANGE_REQUIRED", "Choose a new password in the console first.");
  if (!["GET", "HEAD", "OPTIONS"].includes(request.method)) {
    const sent = request.headers.get(CSRF_HEADER) ?? "";
    if (!safeEqual(sent, session.csrfToken)) throw new ApiError("ERR_CSRF", "This form has expired; reload the page and try again.");
  }
  return session;
}

/** The Set-Cookie value for a session cookie (HttpOnly, SameSite=Lax, Secure over HTTPS). */
export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${token}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Expires=${expiresAt.toUTCString()}`,
    ...(secure ? ["Secure"] : []),
  ].join("; ");
}
