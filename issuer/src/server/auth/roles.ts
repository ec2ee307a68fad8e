import { ApiError } from "@/server/api/errors";

export const ROLES = ["officer", "approver", "auditor", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: the signed-in person (or an API token's owner). */
export interface Actor {
  id: string;
  name: string;
  email: string;
  roles: Role[];
  locale: string;
}

/**
 * Throws ERR_FORBIDDEN unless the actor has one of the roles.
 *
 * @example
 * requireRole(actor, "approver");
 */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.some((r) => actor.roles.includes(r))) {
    throw new ApiError("ERR_FORBIDDEN", `This needs the ${roles.join(" or ")} role.`);
  }
}

/** True when the actor has one of the roles. */
export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return roles.some((r) => actor.roles.includes(r));
}
