import type { ServerContext } from "@/server/context";

/**
 * Console users with their roles, by e-mail (the users page, admin).
 *
 * @example
 * const users = await readUsers(ctx); // [{ id, email, name, roles: ["officer"] }]
 */
export async function readUsers(ctx: ServerContext): Promise<{ id: string; email: string; name: string; roles: string[] }[]> {
  const users = await ctx.db.user.findMany({ orderBy: { email: "asc" }, include: { roles: true } });
  return users.map((u) => ({ id: u.id, email: u.email, name: u.name, roles: u.roles.map((r) => r.role) }));
}
