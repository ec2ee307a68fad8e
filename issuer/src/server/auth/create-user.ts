import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { newId } from "@/server/lib/ids";
import { hashPassword } from "./password";
import { ROLES } from "./roles";

export const CreateUserInput = z.object({
  email: z.string().trim().toLowerCase().email().max(200),
  name: z.string().trim().min(1).max(120),
  password: z.string().min(12, "at least 12 characters").max(500),
  roles: z.array(z.enum(ROLES)).min(1),
  locale: z.enum(["en", "fr", "ar", "sw"]).default("en"),
});

/**
 * Creates a console user with hashed password and roles (audited).
 *
 * @example
 * await createUser(ctx, { email: "amina@example.org", name: "Amina", password, roles: ["officer"] }, null);
 */
export async function createUser(
  ctx: ServerContext,
  input: z.input<typeof CreateUserInput>,
  actorId: string | null,
  options: { scrypt?: { N: number; r: number; p: number } } = {},
): Promise<{ id: string }> {
  const u = CreateUserInput.parse(input);
  const passwordHash = await hashPassword(u.password, options.scrypt);
  const id = newId();
  await ctx.db.$transaction(async (tx) => {
    await tx.user.create({
      data: { id, email: u.email, name: u.name, passwordHash, locale: u.locale, roles: { create: u.roles.map((role) => ({ role })) } },
    });
    await appendAuditEvent(tx, ctx, { actorId, action: "user.create", subject: id, details: { email: u.email, roles: u.roles } });
  });
  return { id };
}
