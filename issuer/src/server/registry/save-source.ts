import { z } from "zod";
import { ColumnMapping } from "@haki/registry/record";
import type { ServerContext } from "@/server/context";
import type { Actor } from "@/server/auth/roles";
import { requireRole } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { newId } from "@/server/lib/ids";

export const SaveSourceInput = z.object({
  id: z.string().uuid().optional(),
  name: z.string().trim().min(1).max(120),
  mapping: z.record(z.string(), z.string()).pipe(ColumnMapping),
});

/**
 * Creates or updates a registry source and its saved column mapping.
 *
 * @example
 * await saveSource(ctx, { name: "MIS export", mapping: { hh_id: "registryId", district: "area" } }, actor);
 */
export async function saveSource(ctx: ServerContext, input: z.input<typeof SaveSourceInput>, actor: Actor): Promise<{ id: string }> {
  requireRole(actor, "officer", "admin");
  const s = SaveSourceInput.parse(input);
  const id = s.id ?? newId();
  await ctx.db.$transaction(async (tx) => {
    await tx.registrySource.upsert({
      where: { id },
      create: { id, name: s.name, kind: "csv", mapping: JSON.stringify(s.mapping) },
      update: { name: s.name, mapping: JSON.stringify(s.mapping) },
    });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "registry.source_save", subject: id, details: { mapping: s.mapping } });
  });
  return { id };
}
