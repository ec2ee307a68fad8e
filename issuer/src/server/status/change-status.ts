/**
 * Revoke, suspend or reinstate one credential or every credential of a beneficiary, with a reason.
 * Revocation is final; suspension can be lifted (reinstate).
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { markStale } from "@/server/lib/read-cache";
import { forgetStatusListCredentials, writeStatusBit } from "./status-lists";

export const ChangeStatusInput = z
  .object({
    action: z.enum(["revoke", "suspend", "reinstate"]),
    entitlementId: z.string().uuid().optional(),
    beneficiaryRef: z.string().regex(/^[A-Za-z0-9_-]{4,40}$/).optional(),
    reason: z.string().trim().min(3, "give a reason").max(500),
  })
  .refine((i) => Boolean(i.entitlementId) !== Boolean(i.beneficiaryRef), { message: "name one credential or one beneficiary" });

const FROM: Record<"revoke" | "suspend" | "reinstate", string[]> = {
  revoke: ["issued", "suspended"],
  suspend: ["issued"],
  reinstate: ["suspended"],
};
const TO = { revoke: "revoked", suspend: "suspended", reinstate: "issued" } as const;

/**
 * Changes status; returns how many credentials changed (0 when none was in a state that allows it).
 *
 * @example
 * await changeStatus(ctx, { action: "revoke", beneficiaryRef: "HK-7M2Q9XK4TB", reason: "Death notified by CRVS" }, officer);
 */
export async function changeStatus(ctx: ServerContext, input: z.input<typeof ChangeStatusInput>, actor: Actor): Promise<{ changed: number }> {
  requireRole(actor, "officer", "approver");
  const i = ChangeStatusInput.parse(input);
  let where;
  if (i.entitlementId) where = { id: i.entitlementId };
  else {
    const b = await ctx.db.beneficiary.findUnique({ where: { ref: i.beneficiaryRef! } });
    if (!b) throw new ApiError("ERR_NOT_FOUND", "No beneficiary with this reference.");
    where = { beneficiaryId: b.id };
  }
  const targets = await ctx.db.entitlement.findMany({ where: { ...where, status: { in: FROM[i.action] } } });
  if (i.entitlementId && targets.length === 0) {
    const exists = await ctx.db.entitlement.findUnique({ where: { id: i.entitlementId } });
    if (!exists) throw new ApiError("ERR_NOT_FOUND", "No such credential.");
    throw new ApiError("ERR_INVALID_STATE", `A ${exists.status} credential cannot be ${TO[i.action]}.`);
  }
  await ctx.db.$transaction(async (tx) => {
    const at = ctx.now();
    for (const e of targets) {
      const { count } = await tx.entitlement.updateMany({
        where: { id: e.id, status: e.status },
        data: { status: TO[i.action], statusReason: i.reason, statusChangedAt: at },
      });
      if (count !== 1) throw new ApiError("ERR_CONFLICT", "The credential changed meanwhile; try again.");
      if (i.action === "revoke") {
        await writeStatusBit(tx, e.statusList, e.statusIndex, "revocation", true);
        if (e.status === "suspended") await writeStatusBit(tx, e.statusList, e.statusIndex, "suspension", false);
      } else {
        await writeStatusBit(tx, e.statusList, e.statusIndex, "suspension", i.action === "suspend");
      }
    }
    await appendAuditEvent(
      tx,
      ctx,
      {
      actorId: actor.id,
      action: `entitlement.${i.action}`,
      subject: i.entitlementId ?? i.beneficiaryRef ?? null,
      details: { reason: i.reason, entitlements: targets.map((e) => e.id) },
      },
      at,
    );
  });
  forgetStatusListCredentials(ctx);
  markStale(ctx, "cycle-tally:", "dashboard");
  return { changed: targets.length };
}
