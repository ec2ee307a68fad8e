/**
 * What every listing of receipts reads of one (the redemptions page, the settlement and its
 * exports): the hand-over, whom it was for, what was handed over and whether it was a double.
 */
import { rowMapper, type RowOf } from "@/server/lib/sql";

/** How the columns of a receipt that every listing shows are read from a raw `Receipt` row (listings reading more add theirs). */
export const RECEIPT_CORE_COLUMNS = {
  id: "text",
  redeemedAt: "date",
  programme: "text",
  cycleCode: "text",
  cycleId: "optionalText",
  beneficiaryRef: "text",
  amount: "optionalText",
  quantity: "optionalText",
  doubleRedemption: "bool",
} as const;

/** The columns of a receipt that every listing shows. */
export type ReceiptCore = RowOf<typeof RECEIPT_CORE_COLUMNS>;

/** Those columns from a raw `Receipt` row (either database's value types). */
export const receiptCoreOf = rowMapper(RECEIPT_CORE_COLUMNS);
