import type { ServerContext } from "@/server/context";

/** A console user as the users page lists it. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  roles: string[];
  disabledAt: Date | null;
  mustChangePassword: boolean;
  /** The last time one of their sessions was opened (sign-in), null if never. */
  lastSeenAt: Date | null;
  signsInWith: "password" | "oidc" | "both";
}

/**
 * Console users with their roles, state and last sign-in, by e-mail (the users page, admin).
 *
 * @example
 * const users = await readUsers(ctx); // [{ id, email, name, roles: ["officer"], disabledAt: null, lastSeenAt }]
 */
export async function readUsers(ctx: ServerContext): Promise<UserRow[]> {
  const users = await ctx.db.user.findMany({ orderBy: { email: "asc" }, include: { roles: true } });
  const last = await ctx.db.session.groupBy({ by: ["userId"], _max: { createdAt: true } });
  const seen = new Map(last.map((s) => [s.userId, s._max.createdAt]));
  return users.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    roles: u.roles.map((r) => r.role),
    disabledAt: u.disabledAt,
    mustChangePassword: u.mustChangePassword,
    lastSeenAt: seen.get(u.id) ?? null,
    signsInWith: u.passwordHash && u.oidcSubject ? "both" : u.oidcSubject ? "oidc" : "password",
  }));
}
