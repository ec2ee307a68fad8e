/**
 * Supersedes an entitlement's credential when the phone or the card that carries it is lost:
 * the entitlement moves to a fresh status position, the old position is revoked (so the lost
 * phone's credential and any card printed before stop working everywhere, offline devices at their
 * next list refresh), and a new paper credential is signed at the new position. What the person is
 * entitled to does not change; only the old bearer form dies.
 */
import { cardRefOf, cycleBindingOf } from "@/server/issuance/cycle-binding";
import { z } from "zod";
import { signCredential } from "@haki/credentials/sign";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { entitlementInput, STATUS_LIST_SIZE } from "@/server/issuance/entitlement-input";
import { forgetStatusListCredentials, writeStatusBit } from "@/server/status/status-lists";
import { markStale } from "@/server/lib/read-cache";

export const SupersedeInput = z.object({
  entitlementId: z.string().uuid(),
  /** What was lost: the phone that held it, or a paper card. */
  lost: z.enum(["phone", "card"]),
  reason: z.string().trim().min(3, "give a reason").max(500),
});

/** Where an entitlement's status lives: list number and index. */
export interface StatusPosition {
  list: number;
  index: number;
}

/**
 * Moves the entitlement to a new status position and revokes the old one, in one transaction,
 * audited as `entitlement.replace`. Only an issued entitlement can be superseded.
 *
 * @example
 * const { from, to } = await supersedeCredential(ctx, { entitlementId, lost: "phone", reason: "Phone stolen at the market" }, officer);
 */
export async function supersedeCredential(
  ctx: ServerContext,
  input: z.input<typeof SupersedeInput>,
  actor: Actor,
): Promise<{ from: StatusPosition; to: StatusPosition; auditSeq: number }> {
  requireRole(actor, "officer");
  const i = SupersedeInput.parse(input);
  const e = await ctx.db.entitlement.findUnique({ where: { id: i.entitlementId }, include: { cycle: { include: { programme: true } }, beneficiary: true } });
  if (!e) throw new ApiError("ERR_NOT_FOUND", "No such entitlement.");
  if (e.status !== "issued") throw new ApiError("ERR_INVALID_STATE", `A ${e.status} entitlement cannot be replaced.`);
  const key = await ctx.keys.getSigningKey();
  const binding = cycleBindingOf(ctx, e.cycle.programme);
  const result = await ctx.db.$transaction(async (tx) => {
    const counter = await tx.counter.update({ where: { name: "status-index" }, data: { value: { increment: 1 } } });
    const position = counter.value - 1;
    const to = { list: Math.floor(position / STATUS_LIST_SIZE) + 1, index: position % STATUS_LIST_SIZE };
    const from = { list: e.statusList, index: e.statusIndex };
    const rows = { entitlement: { id: e.id, statusList: to.list, statusIndex: to.index }, cycle: e.cycle, programme: e.cycle.programme, beneficiary: e.beneficiary };
    const issuer = { did: key.did, publicUrl: ctx.env.HAKI_PUBLIC_URL };
    // A replacement paper card of a programme that binds its cards keeps a binding, salted by its
    // own new status entry (the credential id stays): computed here, once the position is known
    // (about half a second of scrypt inside this rare officer action).
    const idBinding = await binding?.bindingOf(e.beneficiary, cardRefOf(entitlementInput(rows, issuer)));
    const credential = await signCredential(entitlementInput({ ...rows, ...(idBinding ? { idBinding } : {}) }, issuer), key);
    const at = ctx.now();
    // The old position in the WHERE clause: two officers replacing at once replace once.
    const { count } = await tx.entitlement.updateMany({
      where: { id: e.id, status: "issued", statusList: from.list, statusIndex: from.index },
      data: { statusList: to.list, statusIndex: to.index, credential, holderDid: null, replacedAt: at },
    });
    if (count !== 1) throw new ApiError("ERR_CONFLICT", "The entitlement changed meanwhile; reload and try again.");
    await writeStatusBit(tx, from.list, from.index, "revocation", true);
    // Offers made before carry a code for the old card: none of them may still be used.
    await tx.offer.deleteMany({ where: { entitlementId: e.id, credentialIssuedAt: null } });
    const { seq } = await appendAuditEvent(tx, ctx, {
      actorId: actor.id,
      action: "entitlement.replace",
      subject: e.id,
      details: { lost: i.lost, reason: i.reason, beneficiary: e.beneficiary.ref, from, to },
    }, at);
    return { from, to, auditSeq: seq };
  });
  forgetStatusListCredentials(ctx);
  markStale(ctx, `cycle-tally:${e.cycleId}`, "dashboard");
  return result;
}
