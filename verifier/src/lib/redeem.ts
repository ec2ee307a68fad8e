import type { GreenDecision } from "@haki/redemption/check";
import { recordHandOver } from "@haki/redemption/hand-over";
import type { Receipt } from "@haki/redemption/receipts";
import type { Enrolment, VerifierDb } from "../db";

/**
 * Records one hand-over with this device's key (`@haki/redemption/hand-over`): plans it against
 * the device's balance, signs the receipt, and writes the new balance and the queued receipt in
 * one transaction. Throws RedeemError (already redeemed, amount too large...) or
 * BalanceConflictError.
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
  const device = await args.db.getDevice();
  if (!device) throw new Error("This device has no key; enrol it again");
  return recordHandOver({
    store: args.db,
    decision: args.decision,
    ...(args.amount !== undefined ? { amount: args.amount } : {}),
    device: { deviceId: args.enrolment.deviceId, privateKey: device.privateKey },
    servicePoint: args.enrolment.servicePoint,
    now: args.now,
  });
}
