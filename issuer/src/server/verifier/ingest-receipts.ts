/**
 * Receipt intake: verifiers post signed receipts (at least once); the issuer verifies each with
 * the device's enrolled key, checks it against its own records (the device's service point, a
 * programme that service point hands over, and for this issuer's credentials an entitlement that
 * exists and is the one the receipt names), stores it at most once by id, and flags double
 * redemptions across devices. Every refusal is answered per receipt with a code; those of
 * receipts a device really signed (revoked device, records mismatch) are audited, not the noise
 * anyone can post. Refused receipts are final (the device drops them: `rejected` never asks for
 * a retry).
 */
import { z } from "zod";
import { decodeJwt } from "jose";
import { ReceiptError, RedemptionError, type RedemptionErrorCode } from "@haki/redemption/codes";
import { Receipt, findDoubleRedemptions, verifyReceipt } from "@haki/redemption/receipts";
import type { ServerContext } from "@/server/context";
import { readJsonColumn, readStoredValue } from "@/server/lib/json-column";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { readServicePointProgrammes } from "./service-points";
import { PublicJwk } from "@haki/redemption/setup";
import { markStale } from "@/server/lib/read-cache";

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
  const refused: { id: string; code: RedemptionErrorCode; device?: string; servicePoint?: string }[] = [];
  const seen = new Set<string>();
  const devices = new Map<string, DeviceRow | null>();
  const device = async (id: string) => {
    if (!devices.has(id)) devices.set(id, await ctx.db.device.findUnique({ where: { id }, include: { servicePoint: true } }));
    return devices.get(id)!;
  };
  for (const item of batch.receipts) {
    let r: Receipt;
    let entitlement: { id: string; cycleId: string } | null;
    try {
      r = await verifyReceipt(item.jws, async (id) => {
        const d = await device(id);
        return d ? readJsonColumn(PublicJwk, d.publicJwk, "Device.publicJwk") : undefined;
      });
      if (r.id !== item.id) throw new ReceiptError("ERR_RECEIPT_INVALID", "The receipt was sent under another id than its own.");
    } catch (e) {
      // Not signed by an enrolled device: answered, not audited (anyone can post noise here).
      if (!(e instanceof RedemptionError)) throw e;
      out.rejected.push({ id: item.id, code: e.code });
      continue;
    }
    try {
      // Signed by the device's own key: from here a refusal says something about that device.
      const d = (await device(r.device))!;
      if (d.revokedAt) throw new ReceiptError("ERR_RECEIPT_DEVICE_REVOKED", `Device ${d.id} was revoked on ${d.revokedAt.toISOString().slice(0, 10)}.`);
      seen.add(r.device);
      entitlement = await checkAgainstRecords(ctx, r, d);
    } catch (e) {
      if (!(e instanceof RedemptionError)) throw e;
      out.rejected.push({ id: item.id, code: e.code });
      refused.push({ id: item.id, code: e.code, device: r.device, servicePoint: r.servicePoint });
      continue;
    }
    if (await ctx.db.receipt.findUnique({ where: { id: r.id }, select: { id: true } })) {
      out.duplicate.push(r.id);
      continue;
    }
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
  // The figures receipts feed (a cycle's redeemed and receipt counts, the dashboard, settlement)
  // follow at their next read instead of waiting out their cache age.
  if (out.accepted.length > 0) markStale(ctx, "cycle-tally:", "cycle-receipts:", "dashboard", "settlement:");
  // Last seen: a device that signed something here (a revoked one is not "seen").
  if (seen.size > 0) await ctx.db.device.updateMany({ where: { id: { in: [...seen] } }, data: { lastSeenAt: ctx.now() } });
  if (refused.length > 0) {
    await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: null, action: "receipt.refused", subject: null, details: { receipts: refused } }));
  }
  return out;
}

type DeviceRow = NonNullable<Awaited<ReturnType<ServerContext["db"]["device"]["findUnique"]>>> & { servicePoint: { id: string; programmes: string; disabledAt: Date | null } };

/**
 * The checks a device's signature cannot make: the receipt's service point must be the device's
 * own and hand over the receipt's programme, and a receipt for one of this issuer's credentials
 * must name an entitlement that exists and whose programme, cycle and beneficiary it repeats.
 * Returns the entitlement to link (null for another issuer's credential).
 */
async function checkAgainstRecords(ctx: ServerContext, r: Receipt, device: DeviceRow): Promise<{ id: string; cycleId: string } | null> {
  if (r.servicePoint !== device.servicePointId) {
    throw new ReceiptError("ERR_RECEIPT_SERVICE_POINT_MISMATCH", `Device ${device.id} belongs to ${device.servicePointId}, not ${r.servicePoint}.`);
  }
  if (device.servicePoint.disabledAt) {
    throw new ReceiptError("ERR_RECEIPT_SERVICE_POINT_DISABLED", `Service point ${device.servicePointId} was switched off on ${device.servicePoint.disabledAt.toISOString().slice(0, 10)}.`);
  }
  if (!readServicePointProgrammes(device.servicePoint).includes(r.programme)) {
    throw new ReceiptError("ERR_RECEIPT_PROGRAMME_NOT_SERVED", `Service point ${device.servicePointId} does not hand over ${r.programme}.`);
  }
  if (r.issuer !== ctx.did) return null;
  // Our own credentials carry urn:uuid:<entitlement id>.
  const id = r.credential?.startsWith("urn:uuid:") ? r.credential.slice(9) : null;
  const e = id
    ? await ctx.db.entitlement.findUnique({
        where: { id },
        select: { id: true, cycleId: true, cycle: { select: { code: true, programme: { select: { code: true } } } }, beneficiary: { select: { ref: true } } },
      })
    : null;
  if (!e) throw new ReceiptError("ERR_RECEIPT_ENTITLEMENT_UNKNOWN", `No entitlement ${r.credential ?? "(none named)"} at this issuer.`);
  if (e.cycle.programme.code !== r.programme || e.cycle.code !== r.cycle || e.beneficiary.ref !== r.beneficiary) {
    throw new ReceiptError("ERR_RECEIPT_ENTITLEMENT_MISMATCH", `The receipt's credential is entitlement ${e.id}, which is not ${r.programme} / ${r.cycle} / ${r.beneficiary}.`);
  }
  return { id: e.id, cycleId: e.cycleId };
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
