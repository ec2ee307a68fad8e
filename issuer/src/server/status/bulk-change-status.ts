/**
 * Revoke, suspend or reinstate many credentials at once (a civil registry's death notifications, a
 * cycle put under review): one transaction, one write and one version bump per touched status
 * list, and one audit event listing every credential changed. Credentials already in the wanted
 * state are left alone, so sending the same batch twice changes nothing the second time.
 */
import { z } from "zod";
import { statusListFromBytes, updateStatuses } from "@haki/status-list/bitstring";
import type { Tx } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { markStale } from "@/server/lib/read-cache";
import { ensureStatusList, forgetStatusListCredentials, type StatusPurpose } from "./status-lists";

/** The most credentials or beneficiaries one request may name (a day of CRVS notifications is far fewer). */
export const BULK_STATUS_MAX = 20_000;
/** Ids per statement: Prisma's SQLite driver refuses statements with more than 999 bound parameters. */
const CHUNK = 900;

const Ref = z.string().regex(/^[A-Za-z0-9_-]{4,40}$/);

export const BulkChangeStatusInput = z
  .object({
    action: z.enum(["revoke", "suspend", "reinstate"]),
    entitlementIds: z.array(z.string().uuid()).min(1).max(BULK_STATUS_MAX).optional(),
    beneficiaryRefs: z.array(Ref).min(1).max(BULK_STATUS_MAX).optional(),
    reason: z.string().trim().min(3, "give a reason").max(500),
    /** What the batch was drawn from (e.g. "12 references; cycle 2027-03; area KE-047"), kept in the audit event. */
    scope: z.string().trim().max(500).optional(),
  })
  .refine((i) => Boolean(i.entitlementIds) !== Boolean(i.beneficiaryRefs), { message: "name credentials or beneficiaries, not both" });
export type BulkChangeStatusInput = z.input<typeof BulkChangeStatusInput>;

const FROM: Record<"revoke" | "suspend" | "reinstate", string[]> = {
  revoke: ["issued", "suspended"],
  suspend: ["issued"],
  reinstate: ["suspended"],
};
const TO = { revoke: "revoked", suspend: "suspended", reinstate: "issued" } as const;

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

type Target = { id: string; status: string; statusList: number; statusIndex: number };

/**
 * Changes the status of every named credential (or every credential of every named beneficiary).
 * Unknown ids or references fail the whole request with ERR_NOT_FOUND before anything changes.
 * Returns how many changed and how many were skipped (already in that state, or in a state the
 * action does not apply to, e.g. reinstating a revoked credential).
 *
 * @example
 * await bulkChangeStatus(ctx, { action: "revoke", beneficiaryRefs: ["HK-7M2Q9XK4TB", "HK-2BD8RW1Q0P"], reason: "Death notified by CRVS" }, officer);
 * // { changed: 2, skipped: 0, lists: [1] }
 */
export async function bulkChangeStatus(
  ctx: ServerContext,
  input: BulkChangeStatusInput,
  actor: Actor,
): Promise<{ changed: number; skipped: number; lists: number[] }> {
  requireRole(actor, "officer", "approver");
  const i = BulkChangeStatusInput.parse(input);
  const select = { id: true, status: true, statusList: true, statusIndex: true } as const;
  const all: Target[] = [];
  if (i.entitlementIds) {
    const ids = [...new Set(i.entitlementIds)];
    for (const part of chunks(ids)) all.push(...(await ctx.db.entitlement.findMany({ where: { id: { in: part } }, select })));
    if (all.length !== ids.length) {
      const found = new Set(all.map((e) => e.id));
      const unknown = ids.filter((id) => !found.has(id));
      throw new ApiError("ERR_NOT_FOUND", `${unknown.length} of these credentials do not exist; nothing was changed.`, { details: { unknown: unknown.slice(0, 100) } });
    }
  } else {
    const refs = [...new Set(i.beneficiaryRefs!)];
    const beneficiaries: { id: string; ref: string }[] = [];
    for (const part of chunks(refs)) beneficiaries.push(...(await ctx.db.beneficiary.findMany({ where: { ref: { in: part } }, select: { id: true, ref: true } })));
    if (beneficiaries.length !== refs.length) {
      const found = new Set(beneficiaries.map((b) => b.ref));
      const unknown = refs.filter((r) => !found.has(r));
      throw new ApiError("ERR_NOT_FOUND", `${unknown.length} of these beneficiaries do not exist; nothing was changed.`, { details: { unknown: unknown.slice(0, 100) } });
    }
    for (const part of chunks(beneficiaries.map((b) => b.id)))
      all.push(...(await ctx.db.entitlement.findMany({ where: { beneficiaryId: { in: part } }, select })));
  }
  const targets = all.filter((e) => FROM[i.action]!.includes(e.status));
  if (targets.length === 0) return { changed: 0, skipped: all.length, lists: [] };

  const byList = new Map<number, Target[]>();
  for (const e of targets) byList.set(e.statusList, [...(byList.get(e.statusList) ?? []), e]);
  const lists = [...byList.keys()].sort((a, b) => a - b);

  await ctx.db.$transaction(
    async (tx) => {
      const at = ctx.now();
      for (const list of lists) {
        const entries = byList.get(list)!;
        for (const status of FROM[i.action]!) {
          const ids = entries.filter((e) => e.status === status).map((e) => e.id);
          for (const part of chunks(ids)) {
            const { count } = await tx.entitlement.updateMany({
              where: { id: { in: part }, status },
              data: { status: TO[i.action], statusReason: i.reason, statusChangedAt: at },
            });
            if (count !== part.length) throw new ApiError("ERR_CONFLICT", "Some credentials changed meanwhile; nothing was changed, try again.");
          }
        }
        if (i.action === "revoke") {
          await writeStatusBits(tx, list, "revocation", { set: entries.map((e) => e.statusIndex) });
          const wasSuspended = entries.filter((e) => e.status === "suspended").map((e) => e.statusIndex);
          if (wasSuspended.length) await writeStatusBits(tx, list, "suspension", { clear: wasSuspended });
        } else {
          const indexes = entries.map((e) => e.statusIndex);
          await writeStatusBits(tx, list, "suspension", i.action === "suspend" ? { set: indexes } : { clear: indexes });
        }
      }
      await appendAuditEvent(
        tx,
        ctx,
        {
        actorId: actor.id,
        action: `entitlement.${i.action}`,
        subject: null,
        details: { reason: i.reason, bulk: true, ...(i.scope ? { scope: i.scope } : {}), entitlements: targets.map((e) => e.id) },
        },
        at,
      );
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
  forgetStatusListCredentials(ctx);
  markStale(ctx, "cycle-tally:", "dashboard");
  return { changed: targets.length, skipped: all.length - targets.length, lists };
}

/** Applies many bit changes to one list: one version bump (taking the row or write lock first), one write. */
async function writeStatusBits(tx: Tx, list: number, purpose: StatusPurpose, changes: { set?: number[]; clear?: number[] }): Promise<void> {
  const id = `${list}-${purpose}`;
  await ensureStatusList(tx, list, purpose);
  const row = await tx.statusList.update({ where: { id }, data: { version: { increment: 1 } } });
  const next = updateStatuses(statusListFromBytes(new Uint8Array(row.bits)), changes);
  await tx.statusList.update({ where: { id }, data: { bits: new Uint8Array(next.bytes) } });
}
