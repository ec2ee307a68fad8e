import type { GreenDecision } from "@haki/redemption/check";
import { recordHandOver } from "@haki/redemption/hand-over";
import type { Receipt } from "@haki/redemption/receipts";
import type { Enrolment, VerifierDb } from "../storage/db";
import { NotEnrolledError } from "./errors";

/**
 * Records one hand-over with this device's key (`@haki/redemption/hand-over`): plans it against
 * the device's balance, signs the receipt, and writes the new balance and the queued receipt in
 * one transaction. Throws RedemptionError (already redeemed, amount too large...),
 * BalanceConflictError, or NotEnrolledError when the device lost its key.
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
  const { db, decision: d } = args;
  const device = await db.getDevice();
  if (!device) throw new NotEnrolledError("This device has no receipt key; set it up again");
  const receipt = await recordHandOver({
    store: db,
    decision: d,
    ...(args.amount !== undefined ? { amount: args.amount } : {}),
    device: { deviceId: args.enrolment.deviceId, privateKey: device.privateKey },
    servicePoint: args.enrolment.servicePoint,
    now: args.now,
  });
  // What the counter saw, for its receipts list and for telling "scanned" from "handed over" when
  // the same code comes back. Secondary: the receipt above stands even if this cannot be written.
  await db
    .putNote({
      receipt: receipt.id,
      ...(d.displayName ? { displayName: d.displayName } : {}),
      ...(d.presentationId ? { presentation: d.presentationId } : {}),
    })
    .catch(() => undefined);
  return receipt;
}
