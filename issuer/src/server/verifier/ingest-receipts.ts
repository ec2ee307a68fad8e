/**
 * Receipt intake: verifiers post signed receipts (at least once); the issuer verifies each with
 * the device's enrolled key, stores it at most once by id, and flags double redemptions across
 * devices.
 */
import { z } from "zod";
import { decodeJwt } from "jose";
import { ReceiptError, RedemptionError, type RedemptionErrorCode } from "@haki/redemption/codes";
import { Receipt, findDoubleRedemptions, verifyReceipt } from "@haki/redemption/receipts";
import type { ServerContext } from "@/server/context";
import { readStoredValue } from "@/server/lib/json-column";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { deviceKey } from "./service-points";

export const ReceiptBatch = z.object({
  receipts: z.array(z.object({ id: z.string().min(1).max(64), jws: z.string().min(1).max(20_000) })).min(1).max(100),
});
export type ReceiptBatch = z.infer<typeof ReceiptBatch>;

export interface IngestResult {
  accepted: string[];
  duplicate: string[];
  /** Receipts that will never be accepted (the device may drop them), with the reason's code. */
  rejected: { id: string; code: RedemptionErrorCode }[];
}

/**
 * Verifies and stores a batch. A receipt that fails its checks is rejected with its code; any other
 * failure (the database) is thrown, so the device keeps the batch and sends it again.
 *
 * @example
 * const result = await ingestReceipts(ctx, await readJson(request, ReceiptBatch));
 */
export async function ingestReceipts(ctx: ServerContext, batch: ReceiptBatch): Promise<IngestResult> {
  const out: IngestResult = { accepted: [], duplicate: [], rejected: [] };
  const touched = new Set<string>();
  for (const item of batch.receipts) {
    let r: Receipt;
    try {
      r = await verifyReceipt(item.jws, (id) => deviceKey(ctx, id));
      if (r.id !== item.id) throw new ReceiptError("ERR_RECEIPT_INVALID", "The receipt was sent under another id than its own.");
    } catch (e) {
      if (!(e instanceof RedemptionError)) throw e;
      out.rejected.push({ id: item.id, code: e.code });
      continue;
    }
    if (await ctx.db.receipt.findUnique({ where: { id: r.id }, select: { id: true } })) {
      out.duplicate.push(r.id);
      continue;
    }
    // Our own credentials carry urn:uuid:<entitlement id>; receipts for them link to the row.
    const entitlementId = r.issuer === ctx.did && r.credential?.startsWith("urn:uuid:") ? r.credential.slice(9) : null;
    const entitlement = entitlementId ? await ctx.db.entitlement.findUnique({ where: { id: entitlementId }, select: { id: true, cycleId: true } }) : null;
    const h = r.handedOver;
    try {
      await ctx.db.receipt.create({
        data: {
          id: r.id,
          entitlementKey: r.entitlement,
          entitlementId: entitlement?.id ?? null,
          cycleId: entitlement?.cycleId ?? null,
          programme: r.programme,
          cycleCode: r.cycle,
          credentialId: r.credential ?? null,
          beneficiaryRef: r.beneficiary,
          servicePoint: r.servicePoint,
          device: r.device,
          amount: h.type === "InKind" ? null : h.amount !== undefined ? String(h.amount) : null,
          quantity: h.type === "InKind" ? String(h.quantity) : null,
          redeemedAt: new Date(r.at * 1000),
          receivedAt: ctx.now(),
          visualCheck: r.visualCheck,
          jws: item.jws,
        },
      });
      out.accepted.push(r.id);
      touched.add(r.entitlement);
    } catch (e) {
      // Two posts of the same receipt racing: the second hits the primary key (Prisma's P2002).
      if ((e as { code?: unknown }).code === "P2002") out.duplicate.push(r.id);
      else throw e;
    }
  }
  for (const key of touched) await flagDoubleRedemptions(ctx, key);
  return out;
}

async function flagDoubleRedemptions(ctx: ServerContext, entitlementKey: string): Promise<void> {
  const rows = await ctx.db.receipt.findMany({ where: { entitlementKey } });
  const receipts = rows.map(storedReceipt);
  const linked = rows.find((r) => r.entitlementId)?.entitlementId;
  let total: number | undefined;
  if (linked) {
    const e = await ctx.db.entitlement.findUnique({ where: { id: linked }, include: { cycle: true } });
    total = e ? Number(e.cycle.quantity ?? e.cycle.amount ?? NaN) : undefined;
    if (!Number.isFinite(total)) total = undefined;
  }
  const conflicts = findDoubleRedemptions(receipts, () => total);
  const flagged = new Set(conflicts.flatMap((c) => c.receipts.slice(1)));
  const newly = rows.filter((r) => flagged.has(r.id) && !r.doubleRedemption);
  if (newly.length === 0) return;
  await ctx.db.$transaction(async (tx) => {
    await tx.receipt.updateMany({ where: { id: { in: newly.map((r) => r.id) } }, data: { doubleRedemption: true } });
    await appendAuditEvent(tx, ctx, {
      actorId: null,
      action: "receipt.double_redemption",
      subject: linked ?? null,
      details: { kind: conflicts[0]?.kind, receipts: newly.map((r) => r.id), devices: conflicts[0]?.devices },
    });
  });
}

/** A stored receipt's payload (verified when it came in), read back through its schema. */
const storedReceipt = (row: { jws: string }): Receipt => readStoredValue(Receipt, () => decodeJwt(row.jws), "Receipt.jws");
