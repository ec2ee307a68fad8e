/**
 * Recording one hand-over on the device: plan it against this device's balance, sign the receipt
 * with the device key, and write the new balance and the queued receipt together. The verifier
 * app runs this after a green answer; tests of the whole path run the same code.
 */
import type { GreenDecision } from "./check";
import { planRedemption } from "./ledger";
import { newReceiptId, signReceipt, type Receipt } from "./receipts";
import type { LocalStore } from "./stores";
import { outboxItemFor } from "./sync-queue";

/**
 * Records a hand-over and queues its signed receipt. Throws RedeemError (ERR_ALREADY_REDEEMED,
 * ERR_AMOUNT_EXCEEDS_BALANCE, ...) or BalanceConflictError, and then records nothing.
 *
 * @example
 * const receipt = await recordHandOver({ store, decision, device: { deviceId, privateKey },
 *   servicePoint: "sp-12", now: Date.now() });              // amount: 500 for part of a partial one
 */
export async function recordHandOver(args: {
  store: LocalStore;
  decision: GreenDecision;
  /** For partial entitlements; omit to hand over all that is left. */
  amount?: number;
  device: { deviceId: string; privateKey: CryptoKey };
  servicePoint: string;
  /** Milliseconds since epoch. */
  now: number;
}): Promise<Receipt> {
  const { store, decision: d } = args;
  const previous = await store.getBalance(d.entitlement);
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
    servicePoint: args.servicePoint,
    device: args.device.deviceId,
    redemption: d.redemption,
    handedOver: plan.handedOver,
    remaining: plan.remaining,
    visualCheck: d.visualCheck,
    at,
  };
  const jws = await signReceipt(receipt, args.device);
  await store.commitRedemption({
    balance: plan.balance,
    previous,
    item: outboxItemFor(receipt, jws, args.now),
  });
  return receipt;
}
