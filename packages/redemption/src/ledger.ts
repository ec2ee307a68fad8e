/**
 * Balances on this device: what is left of each entitlement after the hand-overs recorded here.
 * Pure functions; the app keeps `Balance` rows in its store.
 *
 * A single-use entitlement is used up by its first hand-over. A partial one (cash or in-kind
 * handed over in several visits) keeps a remaining amount; hand-overs beyond it are refused.
 */
import type { Benefit, RedemptionMode } from "@haki/credentials/model";
import * as z from "zod";
import { RedeemError } from "./codes";
import type { HandedOver } from "./receipts";

export const Balance = z.object({
  entitlement: z.string().min(1).max(400),
  redemption: z.enum(["single", "partial"]),
  total: z.number().nonnegative(),
  remaining: z.number().nonnegative(),
  /** Receipt ids recorded against this entitlement on this device. */
  receipts: z.array(z.string()).max(10000),
  updatedAt: z.number().int().nonnegative(),
});
export type Balance = z.infer<typeof Balance>;

// Six decimals is far below a cent or a gram, and keeps 0.1 + 0.2 from leaving a phantom balance.
const round = (n: number): number => Math.round(n * 1e6) / 1e6;

/**
 * The full amount of a benefit in its own unit: cash amount, in-kind quantity, voucher value or 1.
 *
 * @example
 * benefitTotal({ type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" }); // 25
 */
export function benefitTotal(benefit: Benefit): number {
  switch (benefit.type) {
    case "Cash":
      return benefit.amount;
    case "InKind":
      return benefit.quantity;
    case "Voucher":
      return benefit.amount ?? 1;
  }
}

/**
 * How much of an entitlement is still available on this device.
 *
 * @example
 * available({ benefit, redemption: "partial" }, balance); // 60
 */
export function available(
  e: { benefit: Benefit; redemption: RedemptionMode },
  balance: Balance | undefined,
): number {
  if (!balance) return benefitTotal(e.benefit);
  if (e.redemption === "single") return balance.receipts.length > 0 ? 0 : benefitTotal(e.benefit);
  return balance.remaining;
}

function handedOver(benefit: Benefit, amount: number): HandedOver {
  switch (benefit.type) {
    case "Cash":
      return { type: "Cash", amount, currency: benefit.currency };
    case "InKind":
      return { type: "InKind", quantity: amount, unit: benefit.unit, item: benefit.item };
    case "Voucher":
      return benefit.amount === undefined
        ? { type: "Voucher" }
        : { type: "Voucher", amount, ...(benefit.currency ? { currency: benefit.currency } : {}) };
  }
}

/** What one hand-over changes. */
export interface RedemptionPlan {
  handedOver: HandedOver;
  remaining: number;
  balance: Balance;
}

/**
 * Plans one hand-over: checks it against the balance and returns what to put on the receipt and
 * the new balance. Throws `RedeemError` (ERR_ALREADY_REDEEMED, ERR_BALANCE_USED_UP,
 * ERR_AMOUNT_INVALID, ERR_AMOUNT_EXCEEDS_BALANCE, ERR_PARTIAL_NOT_ALLOWED).
 *
 * @example
 * const plan = planRedemption({ entitlement: key, benefit, redemption: "partial" }, balance,
 *   { amount: 40, receiptId, at });
 */
export function planRedemption(
  e: { entitlement: string; benefit: Benefit; redemption: RedemptionMode },
  balance: Balance | undefined,
  request: { amount?: number; receiptId: string; at: number },
): RedemptionPlan {
  const total = benefitTotal(e.benefit);
  const left = available(e, balance);
  if (e.redemption === "single") {
    if (left <= 0)
      throw new RedeemError(
        "ERR_ALREADY_REDEEMED",
        "This entitlement was already handed over on this device",
      );
    if (request.amount !== undefined && round(request.amount) !== round(total)) {
      throw new RedeemError(
        "ERR_PARTIAL_NOT_ALLOWED",
        "This entitlement must be handed over whole",
      );
    }
    return {
      handedOver: handedOver(e.benefit, total),
      remaining: 0,
      balance: {
        entitlement: e.entitlement,
        redemption: "single",
        total,
        remaining: 0,
        receipts: [...(balance?.receipts ?? []), request.receiptId],
        updatedAt: request.at,
      },
    };
  }
  if (left <= 0)
    throw new RedeemError("ERR_BALANCE_USED_UP", "Nothing is left of this entitlement");
  const amount = request.amount ?? left;
  if (!Number.isFinite(amount) || amount <= 0)
    throw new RedeemError("ERR_AMOUNT_INVALID", "Enter an amount above zero");
  if (e.benefit.type === "Cash" && round(amount * 100) !== Math.round(amount * 100)) {
    throw new RedeemError("ERR_AMOUNT_INVALID", "Cash amounts have at most two decimals");
  }
  if (round(amount) > round(left))
    throw new RedeemError("ERR_AMOUNT_EXCEEDS_BALANCE", "That is more than what is left");
  const remaining = round(left - amount);
  return {
    handedOver: handedOver(e.benefit, round(amount)),
    remaining,
    balance: {
      entitlement: e.entitlement,
      redemption: "partial",
      total,
      remaining,
      receipts: [...(balance?.receipts ?? []), request.receiptId],
      updatedAt: request.at,
    },
  };
}
