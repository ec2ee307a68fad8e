/**
 * Receipt intake: verifiers post signed receipts (at least once); the issuer verifies each with
 * the device's enrolled key, stores it at most once by id, and flags double redemptions across
 * devices.
 */
import { z } from "zod";
import { findDoubleRedemptions, verifyReceipt, type Receipt } from "@haki/redemption/receipts";
import type { ServerContext } from "@/server/context";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { deviceKey } from "./service-points";

export const ReceiptBatch = z.object({
  receipts: z.array(z.object({ id: z.string().min(1).max(64), jws: z.string().min(1).max(20_000) })).min(1).max(100),
});

export interface IngestResult {
  accepted: string[];
  duplicate: string[];
  rejected: { id: string; code: string }[];
}

/**
 * @example
 * const result = await ingestReceipts(ctx, await request.json());
 */
export async function ingestReceipts(ctx: ServerContext, input: unknown): Promise<IngestResult> {
  const batch = ReceiptBatch.parse(input);
  const out: IngestResult = { accepted: [], duplicate: [], rejected: [] };
  const touched = new Set<string>();
  for (const item of batch.receipts) {
    let r: Receipt;
    try {
      r = await verifyReceipt(item.jws, (id) => deviceKey(ctx, id));
      if (r.id !== item.id) throw Object.assign(new Error("id mismatch"), { code: "ERR_RECEIPT_INVALID" });
    } catch (e) {
      out.rejected.push({ id: item.id, code: String((e as { code?: string }).code ?? "ERR_RECEIPT_INVALID") });
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
      // Two posts of the same receipt racing: the second hits the primary key.
      if ((e as { code?: string }).code === "P2002") out.duplicate.push(r.id);
      else throw e;
    }
  }
  for (const key of touched) await flagDoubleRedemptions(ctx, key);
  return out;
}

async function flagDoubleRedemptions(ctx: ServerContext, entitlementKey: string): Promise<void> {
  const rows = await ctx.db.receipt.findMany({ where: { entitlementKey } });
  const receipts = rows.map((r) => JSON.parse(Buffer.from(r.jws.split(".")[1] ?? "", "base64url").toString()) as Receipt);
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
    await appendAuditEvent(tx, ctx.now(), {
      actorId: null,
      action: "receipt.double_redemption",
      subject: linked ?? null,
      details: { kind: conflicts[0]?.kind, receipts: newly.map((r) => r.id), devices: conflicts[0]?.devices },
    });
  });
}
