/**
 * Grievances: a complaint or an appeal a person brings to the programme office, about themselves
 * or one of their entitlements, recorded by an officer and resolved with a note; who recorded and
 * who resolved it, and when, are kept on the grievance and in the audit log (without the text,
 * which is personal data and stays with the grievance).
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { newId } from "@/server/lib/ids";
import { markStale } from "@/server/lib/read-cache";
import { GRIEVANCE_CATEGORIES, GRIEVANCE_KINDS } from "./grievance-model";

export const RecordGrievanceInput = z.object({
  beneficiaryRef: z.string().trim().toUpperCase().pipe(z.string().regex(/^[A-Z0-9_-]{4,40}$/, "a beneficiary reference")),
  /** One of the person's entitlements, when the grievance is about it. */
  entitlementId: z.preprocess((v) => (v === "" ? undefined : v), z.string().uuid().optional()),
  kind: z.enum(GRIEVANCE_KINDS),
  category: z.enum(GRIEVANCE_CATEGORIES),
  text: z.string().trim().min(5, "describe the grievance").max(4000),
});

/**
 * Records a grievance (officer or approver), audited as `grievance.record`.
 *
 * @example
 * const { id } = await recordGrievance(ctx, { beneficiaryRef: "HK-7M2Q9XK4TB", kind: "complaint", category: "amount", text: "Received 2,000 instead of 2,500" }, officer);
 */
export async function recordGrievance(ctx: ServerContext, input: z.input<typeof RecordGrievanceInput>, actor: Actor): Promise<{ id: string }> {
  requireRole(actor, "officer", "approver");
  const i = RecordGrievanceInput.parse(input);
  const person = await ctx.db.beneficiary.findUnique({ where: { ref: i.beneficiaryRef } });
  if (!person) throw new ApiError("ERR_NOT_FOUND", "No beneficiary with this reference.");
  if (i.entitlementId) {
    const e = await ctx.db.entitlement.findUnique({ where: { id: i.entitlementId }, select: { beneficiaryId: true } });
    if (!e || e.beneficiaryId !== person.id) throw new ApiError("ERR_NOT_FOUND", "This entitlement is not this person's.");
  }
  const id = newId();
  await ctx.db.$transaction(async (tx) => {
    const at = ctx.now();
    await tx.grievance.create({
      data: { id, beneficiaryId: person.id, entitlementId: i.entitlementId ?? null, kind: i.kind, category: i.category, text: i.text, createdBy: actor.id, createdAt: at },
    });
    await appendAuditEvent(tx, ctx, {
      actorId: actor.id,
      action: "grievance.record",
      subject: id,
      details: { beneficiary: person.ref, kind: i.kind, category: i.category, ...(i.entitlementId ? { entitlement: i.entitlementId } : {}) },
    }, at);
  });
  markStale(ctx, "dashboard", "grievances");
  return { id };
}

export const ResolveGrievanceInput = z.object({
  grievanceId: z.string().uuid(),
  resolution: z.string().trim().min(5, "say how it was resolved").max(4000),
});

/**
 * Resolves an open grievance with a note (officer or approver), audited as `grievance.resolve`.
 *
 * @example
 * await resolveGrievance(ctx, { grievanceId, resolution: "Paid the missing 500 in cycle 2027-04" }, officer);
 */
export async function resolveGrievance(ctx: ServerContext, input: z.input<typeof ResolveGrievanceInput>, actor: Actor): Promise<void> {
  requireRole(actor, "officer", "approver");
  const i = ResolveGrievanceInput.parse(input);
  const g = await ctx.db.grievance.findUnique({ where: { id: i.grievanceId }, include: { beneficiary: { select: { ref: true } } } });
  if (!g) throw new ApiError("ERR_NOT_FOUND", "No such grievance.");
  await ctx.db.$transaction(async (tx) => {
    const at = ctx.now();
    const { count } = await tx.grievance.updateMany({
      where: { id: g.id, status: "open" },
      data: { status: "resolved", resolution: i.resolution, resolvedBy: actor.id, resolvedAt: at },
    });
    if (count !== 1) throw new ApiError("ERR_INVALID_STATE", "This grievance is resolved already.");
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "grievance.resolve", subject: g.id, details: { beneficiary: g.beneficiary.ref } }, at);
  });
  markStale(ctx, "dashboard", "grievances");
}
