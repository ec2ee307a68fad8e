import type { GreenDecision } from "@haki/redemption/check";
import { planRedemption } from "@haki/redemption/ledger";
import { newReceiptId, signReceipt, type Receipt } from "@haki/redemption/receipts";
import { outboxItemFor } from "@haki/redemption/sync-queue";
import type { Enrolment, VerifierDb } from "../storage/db";
import { NotEnrolledError } from "./errors";

/**
 * Records one hand-over: plans it against this device's balance, signs the receipt with the
 * device key, and writes the new balance and the queued receipt in one transaction. Throws
 * RedemptionError (already redeemed, amount too large...), BalanceConflictError, or
 * NotEnrolledError when the device lost its key.
 *
 * @example
 * const receipt = await recordRedemption({ db, decision, amount: 500, enrolment, now: Date.now() });
 */
export async function recordRedemption(args: {
  db: VerifierDb;
  decision: GreenDecision;
  /** For partial entitlements; omit to hand over all that is left. */
  amount?: number;
  enrolment: Enrolment;
  now: number;
}): Promise<Receipt> {
  const { db, decision: d, enrolment } = args;
  const device = await db.getDevice();
  if (!device) throw new NotEnrolledError("This device has no receipt key; set it up again");
  const previous = await db.getBalance(d.entitlement);
  const id = newReceiptId();
  const at = Math.floor(args.now / 1000);
  const plan = planRedemption(
    { entitlement: d.entitlement, benefit: d.benefit, redemption: d.redemption },
    previous,
    { ...(args.amount !== undefined ? { amount: args.amount } : {}), receiptId: id, at },
  );
  const receipt: Receipt = {
    v: 1,
    id,
    entitlement: d.entitlement,
    issuer: d.issuer.did,
    programme: d.programme.id,
    cycle: d.cycle,
    beneficiary: d.beneficiary,
    ...(d.credentialId ? { credential: d.credentialId } : {}),
    servicePoint: enrolment.servicePoint,
    device: enrolment.deviceId,
    redemption: d.redemption,
    handedOver: plan.handedOver,
    remaining: plan.remaining,
    visualCheck: d.visualCheck,
    at,
  };
  const jws = await signReceipt(receipt, {
    privateKey: device.privateKey,
    deviceId: enrolment.deviceId,
  });
  await db.commitRedemption({
    balance: plan.balance,
    previous,
    item: outboxItemFor(receipt, jws, args.now),
  });
  // What the counter saw, for its receipts list and for telling "scanned" from "handed over" when
  // the same code comes back. Secondary: the receipt above stands even if this cannot be written.
  await db
    .putNote({
      receipt: id,
      ...(d.displayName ? { displayName: d.displayName } : {}),
      ...(d.presentationId ? { presentation: d.presentationId } : {}),
    })
    .catch(() => undefined);
  return receipt;
}
