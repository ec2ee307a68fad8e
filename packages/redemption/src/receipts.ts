/**
 * Receipts: the record of one hand-over, signed by the device that made it, so the programme
 * office can trust it later. A receipt is a compact JWS (EdDSA, `typ: "haki-receipt+jwt"`, `kid`
 * = the device id) over the JSON `Receipt`. The issuer verifies it with `verifyReceipt` and the
 * device key it recorded at enrolment.
 *
 * The receipt id is random and made once per hand-over: re-sending the same receipt is harmless
 * (the issuer stores each id once), which is what makes delivery exactly-once in effect.
 */
import { CompactSign, compactVerify, decodeProtectedHeader } from "jose";
import * as z from "zod";
import { ReceiptError } from "./codes";
import { b64url, fromUtf8, utf8 } from "./lib/b64";
import { importPublicJwk } from "./lib/jwk";
import type { PublicJwk } from "./setup";

export const RECEIPT_TYP = "haki-receipt+jwt";

const Id = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);

/** What was handed over: cash, an in-kind quantity, or a voucher (with or without a value). */
export const HandedOver = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("Cash"),
    amount: z.number().positive().max(1e12),
    currency: z.string().regex(/^[A-Z]{3}$/),
  }),
  z.object({
    type: z.literal("InKind"),
    quantity: z.number().positive().max(1e9),
    unit: z.string().min(1).max(16),
    item: z.string().min(1).max(120),
  }),
  z.object({
    type: z.literal("Voucher"),
    amount: z.number().positive().max(1e12).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
  }),
]);
export type HandedOver = z.infer<typeof HandedOver>;

export const Receipt = z.object({
  v: z.literal(1),
  /** Unique, random (128 bits, base64url); the idempotency key at the issuer. */
  id: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  /** issuer DID | programme id | cycle | beneficiary: one entitlement, whatever card carried it. */
  entitlement: z.string().min(1).max(400),
  issuer: z.string().min(1).max(200),
  programme: Id,
  cycle: Id,
  beneficiary: z.string().regex(/^[A-Za-z0-9_-]{4,40}$/),
  /** Credential id (jti) when the credential has one. */
  credential: z.string().max(200).optional(),
  servicePoint: Id,
  device: Id,
  redemption: z.enum(["single", "partial"]),
  handedOver: HandedOver,
  /** What is left on this device's books after this hand-over (0 for single use). */
  remaining: z.number().nonnegative().max(1e12),
  /** Whether the person was checked by sight only (paper card without holder key). */
  visualCheck: z.boolean(),
  /** Time of the hand-over, seconds since epoch (device clock). */
  at: z.number().int().nonnegative(),
});
export type Receipt = z.infer<typeof Receipt>;

/**
 * The key of one entitlement: issuer + programme + cycle + beneficiary. A re-issued card for the
 * same cycle has the same key, so it cannot be used to redeem twice.
 *
 * @example
 * entitlementKey({ issuer: "did:web:pay.example.org", programme: "cash", cycle: "2027-03", beneficiary: "B-0001" });
 * // "did:web:pay.example.org|cash|2027-03|B-0001"
 */
export function entitlementKey(e: {
  issuer: string;
  programme: string;
  cycle: string;
  beneficiary: string;
}): string {
  return [e.issuer, e.programme, e.cycle, e.beneficiary].join("|");
}

/**
 * A fresh random receipt id (16 bytes from the platform CSPRNG).
 *
 * @example
 * newReceiptId(); // "3q2-7wQn1k2XyZcVbN0aSw"
 */
export function newReceiptId(): string {
  return b64url(crypto.getRandomValues(new Uint8Array(16)));
}

/**
 * Signs a receipt with the device key.
 *
 * @example
 * const jws = await signReceipt(receipt, { privateKey: device.privateKey, deviceId: "dev-7" });
 */
export async function signReceipt(
  receipt: Receipt,
  key: { privateKey: CryptoKey; deviceId: string },
): Promise<string> {
  const r = Receipt.parse(receipt);
  if (r.device !== key.deviceId)
    throw new ReceiptError("ERR_RECEIPT_INVALID", "The receipt names another device");
  return new CompactSign(utf8(JSON.stringify(r)))
    .setProtectedHeader({ alg: "EdDSA", typ: RECEIPT_TYP, kid: key.deviceId })
    .sign(key.privateKey);
}

/**
 * Reads a receipt's device id without verifying it (to look up the device's key).
 *
 * @example
 * const deviceId = receiptDevice(jws);
 */
export function receiptDevice(jws: string): string {
  try {
    const h = decodeProtectedHeader(jws);
    if (h.typ !== RECEIPT_TYP || typeof h.kid !== "string") throw new Error("not a receipt");
    return h.kid;
  } catch (cause) {
    throw new ReceiptError("ERR_RECEIPT_INVALID", "Not a Haki receipt", { cause });
  }
}

/**
 * Verifies a receipt's signature with the device's enrolled key and returns it. Throws
 * `ReceiptError` (ERR_RECEIPT_INVALID, ERR_RECEIPT_SIGNATURE_INVALID, ERR_RECEIPT_UNKNOWN_DEVICE).
 *
 * @example
 * const receipt = await verifyReceipt(jws, async (deviceId) => db.device.find(deviceId)?.publicJwk);
 */
export async function verifyReceipt(
  jws: string,
  deviceKey: (deviceId: string) => Promise<PublicJwk | undefined> | PublicJwk | undefined,
): Promise<Receipt> {
  const deviceId = receiptDevice(jws);
  const jwk = await deviceKey(deviceId);
  if (!jwk) throw new ReceiptError("ERR_RECEIPT_UNKNOWN_DEVICE", `No enrolled device ${deviceId}`);
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, await importPublicJwk(jwk), { algorithms: ["EdDSA"] }));
  } catch (cause) {
    throw new ReceiptError("ERR_RECEIPT_SIGNATURE_INVALID", "The receipt signature is wrong", {
      cause,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(payload));
  } catch (cause) {
    throw new ReceiptError("ERR_RECEIPT_INVALID", "The receipt is damaged", { cause });
  }
  const r = Receipt.safeParse(json);
  if (!r.success)
    throw new ReceiptError("ERR_RECEIPT_INVALID", "The receipt is incomplete", { cause: r.error });
  if (r.data.device !== deviceId)
    throw new ReceiptError("ERR_RECEIPT_INVALID", "The receipt names another device");
  if (r.data.entitlement !== entitlementKey(r.data)) {
    throw new ReceiptError(
      "ERR_RECEIPT_INVALID",
      "The receipt's entitlement key does not match its fields",
    );
  }
  return r.data;
}

/** A conflict the issuer should look at: one entitlement redeemed beyond what it allowed. */
export interface DoubleRedemption {
  entitlement: string;
  /** Receipt ids involved, in time order. */
  receipts: string[];
  /** Distinct devices involved. */
  devices: string[];
  kind: "single-use-redeemed-twice" | "balance-exceeded";
}

function quantityOf(h: HandedOver): number {
  return h.type === "InKind" ? h.quantity : (h.amount ?? 1);
}

/**
 * Finds entitlements redeemed more than allowed across devices: a single-use entitlement with two
 * or more receipts, or partial hand-overs adding up to more than the entitlement. Receipts with
 * the same id count once. Pure; the issuer runs it over each entitlement's receipts.
 *
 * @example
 * findDoubleRedemptions(receipts, (key) => entitlementTotals.get(key));
 */
export function findDoubleRedemptions(
  receipts: readonly Receipt[],
  total: (entitlement: string) => number | undefined = () => undefined,
): DoubleRedemption[] {
  const byKey = new Map<string, Map<string, Receipt>>();
  for (const r of receipts) {
    const m = byKey.get(r.entitlement) ?? new Map<string, Receipt>();
    m.set(r.id, r);
    byKey.set(r.entitlement, m);
  }
  const out: DoubleRedemption[] = [];
  for (const [entitlement, m] of byKey) {
    const list = [...m.values()].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
    const ids = list.map((r) => r.id);
    const devices = [...new Set(list.map((r) => r.device))].sort();
    if (list.some((r) => r.redemption === "single") && list.length > 1) {
      out.push({ entitlement, receipts: ids, devices, kind: "single-use-redeemed-twice" });
      continue;
    }
    const limit = total(entitlement);
    const sum = list.reduce((s, r) => s + quantityOf(r.handedOver), 0);
    if (limit !== undefined && sum > limit + 1e-9)
      out.push({ entitlement, receipts: ids, devices, kind: "balance-exceeded" });
  }
  return out;
}
