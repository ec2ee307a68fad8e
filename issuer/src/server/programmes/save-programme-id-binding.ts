import { z } from "zod";
import { BindingKey, createBindingKey } from "@haki/id-binding/binding";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { openWithKek, sealWithKek } from "@/server/keys/local-key-store";
import { readStoredValue } from "@/server/lib/json-column";

/** off: cards are bearer cards; refuse / visual-check: bound, and what to do without a matching ID card. */
export const IdBindingMode = z.enum(["off", "refuse", "visual-check"]);
export type IdBindingMode = z.infer<typeof IdBindingMode>;

export const SaveProgrammeIdBindingInput = z.object({ programmeId: z.string().min(1), mode: IdBindingMode });

const aad = (programmeId: string) => `id-binding:${programmeId}`;
const kekOf = (ctx: ServerContext) => Buffer.from(ctx.env.HAKI_KEY_ENCRYPTION_KEY, "base64");

/**
 * A programme's binding key, opened with the key-encryption key (throws ERR_KEY_DECRYPT when it
 * cannot be opened, ERR_STORED_DATA_INVALID when it is not a key).
 *
 * @example
 * const key = openProgrammeBindingKey(ctx, programme.id, programme.bindingKey);
 */
export function openProgrammeBindingKey(ctx: ServerContext, programmeId: string, sealed: string): BindingKey {
  return readStoredValue(BindingKey, () => JSON.parse(openWithKek(kekOf(ctx), sealed, aad(programmeId)).toString("utf8")), "Programme.bindingKey");
}

/**
 * Sets whether a programme's paper cards are bound to the holder's national ID, and the rule for a
 * bound card shown without a matching ID card (officer or admin; audited). Turning it on the first
 * time makes the programme's binding key (32 random bytes, sealed with the key-encryption key);
 * turning it off keeps the key, so cards already issued can still be checked. Applies to the
 * cycles issued next; service point devices receive the key when they are set up.
 *
 * @example
 * await saveProgrammeIdBinding(ctx, { programmeId, mode: "refuse" }, officer);
 */
export async function saveProgrammeIdBinding(ctx: ServerContext, input: z.input<typeof SaveProgrammeIdBindingInput>, actor: Actor): Promise<void> {
  requireRole(actor, "officer", "admin");
  const parsed = SaveProgrammeIdBindingInput.safeParse(input);
  if (!parsed.success) throw new ApiError("ERR_BAD_REQUEST", "Choose off, refuse or visual check.", { cause: parsed.error });
  const i = parsed.data;
  await ctx.db.$transaction(async (tx) => {
    const programme = await tx.programme.findUnique({ where: { id: i.programmeId } });
    if (!programme) throw new ApiError("ERR_NOT_FOUND", "No such programme.");
    const newKey = i.mode !== "off" && !programme.bindingKey ? createBindingKey(`${programme.code}-1`.slice(0, 40)) : undefined;
    await tx.programme.update({
      where: { id: i.programmeId },
      data: { idBinding: i.mode, ...(newKey ? { bindingKey: sealWithKek(kekOf(ctx), Buffer.from(JSON.stringify(newKey)), aad(i.programmeId)) } : {}) },
    });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "programme.id-binding", subject: i.programmeId, details: { mode: i.mode, ...(newKey ? { newKey: newKey.kid } : {}) } });
  });
}

/**
 * The binding keys of the bound programmes among `programmeCodes` (what an enrolled service point
 * device needs to check bound cards).
 *
 * @example
 * const keys = await readBindingKeysFor(ctx, servicePoint.programmes);
 */
export async function readBindingKeysFor(ctx: ServerContext, programmeCodes: readonly string[]): Promise<BindingKey[]> {
  if (programmeCodes.length === 0) return [];
  const rows = await ctx.db.programme.findMany({ where: { code: { in: [...programmeCodes] }, bindingKey: { not: null } }, orderBy: { code: "asc" } });
  return rows.map((p) => openProgrammeBindingKey(ctx, p.id, p.bindingKey!));
}
