/**
 * The binding between an entitlement and its holder's national ID, for paper cards (no phone, no
 * holder key): what the credential carries, how it is computed from registry data at issuance, and
 * how a service point checks it against a verified Claim 169 ID QR. See README.md for the
 * construction, its parameters and what an attacker must spend.
 *
 *   pre  = HMAC-SHA256(programme binding key, "haki-id-binding/1" | field | field ...)
 *   mac  = scrypt(pre, salt, N = 2^logN, r, p, 16 bytes)
 *   salt = SHA-256("haki-id-binding/1 card salt" | credential id | status entry)[0..16] (./salt.ts), or random
 */
import { hmac } from "@noble/hashes/hmac.js";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { base64urlnopad } from "@scure/base";
import { BindingKey, IdBinding, type BindingFields, type IdentityFacts } from "./model";
import { IdBindingError, bindingMessage, type IdBindingErrorCode } from "./errors";
import { cardSaltOf, type CardRef } from "./salt";

export { BindingFields, BindingKey, IdBinding, type IdentityFacts } from "./model";

export interface BindingCost {
  logN: number;
  r: number;
  p: number;
}

/** 32 MiB and about 0.3 s here in JavaScript: 1-2 s on a low-end phone, once per check. */
export const DEFAULT_COST: BindingCost = { logN: 15, r: 8, p: 1 };
/** The most a service point device will spend: 2^17 * 8 * 128 bytes = 128 MiB. */
export const MAX_CHECK_COST: BindingCost = { logN: 17, r: 8, p: 1 };

const DOMAIN = "haki-id-binding/1";
const enc = new TextEncoder();

/** ID numbers are written with spaces, dashes, dots or slashes, in any case: compare the letters and digits. */
export function normalizeIdNumber(id: string): string {
  return id.normalize("NFKC").toUpperCase().replace(/[\s\-./]/g, "");
}

function normalizeBirthDate(date: string): string | undefined {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(date.trim());
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  return new Date(`${iso}T00:00:00Z`).toISOString().startsWith(iso) ? iso : undefined;
}

/** The message the programme key authenticates, or the reason it cannot be made. */
function bindingMessageFor(facts: IdentityFacts, fields: BindingFields): Uint8Array | "id" | "birthDate" {
  const id = facts.id === undefined ? "" : normalizeIdNumber(facts.id);
  if (id.length < 4 || id.length > 64) return "id";
  const parts = [DOMAIN, fields, id];
  if (fields === "id+birthDate") {
    const dob = facts.birthDate === undefined ? undefined : normalizeBirthDate(facts.birthDate);
    if (!dob) return "birthDate";
    parts.push(dob);
  }
  return enc.encode(parts.join("\n"));
}

function secretOf(key: BindingKey): Uint8Array {
  const parsed = BindingKey.safeParse(key);
  if (!parsed.success) throw new IdBindingError("ERR_BINDING_KEY_INVALID", undefined, { cause: parsed.error });
  return base64urlnopad.decode(parsed.data.secret);
}

async function macOf(message: Uint8Array, key: BindingKey, salt: Uint8Array, cost: BindingCost): Promise<Uint8Array> {
  const pre = hmac(sha256, secretOf(key), message);
  return scryptAsync(pre, salt, { N: 2 ** cost.logN, r: cost.r, p: cost.p, dkLen: 16, maxmem: 2 ** (cost.logN + 7) * cost.r * cost.p + 4096 });
}

/**
 * A new programme binding key (32 random bytes from Web Crypto).
 *
 * @example
 * const key = createBindingKey("cash-2027"); // keep with the programme; give to its service point devices
 */
export function createBindingKey(kid: string): BindingKey {
  return BindingKey.parse({ kid, secret: base64urlnopad.encode(crypto.getRandomValues(new Uint8Array(32))) });
}

/**
 * Computes the binding at issuance from registry data. Throws `ERR_BINDING_INPUT_INVALID` when the ID
 * number (or, for `id+birthDate`, the date of birth) is missing or unreadable. Given the `card`
 * (its credential id and status entry) the salt is derived from them (`cardSaltOf`), so the QR code
 * need not carry it; without, it is drawn at random.
 *
 * @example
 * const idBinding = await computeIdBinding({ id: row.national_id, birthDate: row.birth_date }, programmeKey, { card: { id, statusEntry } });
 */
export async function computeIdBinding(
  facts: IdentityFacts,
  key: BindingKey,
  options: { fields?: BindingFields; cost?: BindingCost; salt?: Uint8Array; card?: CardRef } = {},
): Promise<IdBinding> {
  const fields = options.fields ?? "id+birthDate";
  const cost = options.cost ?? DEFAULT_COST;
  const message = bindingMessageFor(facts, fields);
  if (typeof message === "string") {
    throw new IdBindingError("ERR_BINDING_INPUT_INVALID", message === "id" ? "The national ID number is missing or too short." : "The date of birth is missing or not a real date.");
  }
  // The card's own id and status entry give its salt when they can (./salt.ts): the QR code then need not carry it.
  const salt = options.salt ?? cardSaltOf(options.card) ?? crypto.getRandomValues(new Uint8Array(16));
  if (salt.length !== 16) throw new IdBindingError("ERR_BINDING_INPUT_INVALID", "The salt must be 16 bytes.");
  const mac = await macOf(message, key, salt, cost);
  return IdBinding.parse({ v: 1, kid: key.kid, fields, ...cost, salt: base64urlnopad.encode(salt), mac: base64urlnopad.encode(mac) });
}

/** The answer at the counter. `code` is stable; `reason` is plain words. */
export type BindingCheck =
  | { result: "match"; reason: string }
  | { result: "no-match"; code: "BINDING_MISMATCH"; reason: string }
  | { result: "no-binding"; code: "BINDING_ABSENT"; reason: string }
  | { result: "cannot-check"; code: IdBindingErrorCode | "BINDING_ID_INCOMPLETE"; reason: string };

const REASONS = {
  match: "The ID card belongs to the person this card was issued to.",
  mismatch: "This ID card belongs to someone else than the person this card was issued to.",
  absent: "This card is not linked to an ID card. Check the person as usual.",
  incompleteId: "The ID card does not show the national ID number this card is linked to.",
  incompleteBirth: "The ID card does not show the date of birth this card is linked to.",
} as const;

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function costTooHigh(b: IdBinding, max: BindingCost): boolean {
  return 2 ** b.logN * b.r * b.p > 2 ** max.logN * max.r * max.p || b.logN > max.logN;
}

/**
 * Checks a paper card's binding against the facts of a verified Claim 169 ID. Never throws:
 * `match`, `no-match`, `no-binding` (the card carries none) or `cannot-check` (the device lacks the
 * programme key, the ID QR lacks a bound field, the binding is damaged or too costly).
 *
 * @example
 * const check = await checkIdBinding(card.credentialSubject.idBinding, verifiedId.identity, device.bindingKeys);
 * if (check.result !== "match") show(check.reason);
 */
export async function checkIdBinding(
  binding: unknown,
  identity: IdentityFacts,
  keys: readonly BindingKey[],
  options: { maxCost?: BindingCost } = {},
): Promise<BindingCheck> {
  if (binding === undefined || binding === null) return { result: "no-binding", code: "BINDING_ABSENT", reason: REASONS.absent };
  const parsed = IdBinding.safeParse(binding);
  if (!parsed.success) return { result: "cannot-check", code: "ERR_BINDING_INVALID", reason: bindingMessage("ERR_BINDING_INVALID") };
  const b = parsed.data;
  if (costTooHigh(b, options.maxCost ?? MAX_CHECK_COST)) {
    return { result: "cannot-check", code: "ERR_BINDING_TOO_COSTLY", reason: bindingMessage("ERR_BINDING_TOO_COSTLY") };
  }
  const key = keys.find((k) => k.kid === b.kid);
  if (!key) return { result: "cannot-check", code: "ERR_BINDING_KEY_UNKNOWN", reason: bindingMessage("ERR_BINDING_KEY_UNKNOWN") };
  const message = bindingMessageFor(identity, b.fields);
  if (typeof message === "string") {
    return { result: "cannot-check", code: "BINDING_ID_INCOMPLETE", reason: message === "id" ? REASONS.incompleteId : REASONS.incompleteBirth };
  }
  let mac: Uint8Array;
  try {
    mac = await macOf(message, key, base64urlnopad.decode(b.salt), b);
  } catch (cause) {
    if (cause instanceof IdBindingError) return { result: "cannot-check", code: cause.code, reason: cause.message };
    return { result: "cannot-check", code: "ERR_BINDING_INVALID", reason: bindingMessage("ERR_BINDING_INVALID") };
  }
  return equalBytes(mac, base64urlnopad.decode(b.mac))
    ? { result: "match", reason: REASONS.match }
    : { result: "no-match", code: "BINDING_MISMATCH", reason: REASONS.mismatch };
}
