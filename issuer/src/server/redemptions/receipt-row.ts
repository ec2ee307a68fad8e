/**
 * What every listing of receipts reads of one (the redemptions page, the settlement and its
 * exports): the hand-over, whom it was for, what was handed over and whether it was a double.
 */
import { asBool, asDate } from "@/server/lib/sql";

/** The columns of a receipt that every listing shows. */
export interface ReceiptCore {
  id: string;
  redeemedAt: Date;
  programme: string;
  cycleCode: string;
  cycleId: string | null;
  beneficiaryRef: string;
  amount: string | null;
  quantity: string | null;
  doubleRedemption: boolean;
}

/** Those columns from a raw `Receipt` row (either database's value types). */
export function receiptCoreOf(r: Record<string, unknown>): ReceiptCore {
  return {
    id: String(r.id),
    redeemedAt: asDate(r.redeemedAt),
    programme: String(r.programme),
    cycleCode: String(r.cycleCode),
    cycleId: (r.cycleId as string | null) ?? null,
    beneficiaryRef: String(r.beneficiaryRef),
    amount: (r.amount as string | null) ?? null,
    quantity: (r.quantity as string | null) ?? null,
    doubleRedemption: asBool(r.doubleRedemption),
  };
}
