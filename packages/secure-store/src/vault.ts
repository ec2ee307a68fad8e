/**
 * A vault: one random data key, wrapped under a key derived from a PIN. Changing the PIN re-wraps
 * only the data key; the records it encrypts stay as they are. Pure Web Crypto, no storage: the app
 * keeps the `VaultHeader` wherever it keeps its metadata.
 */
import * as z from "zod";
import {
  DATA_KEY_USAGES,
  MIN_PBKDF2_ITERATIONS,
  PBKDF2_ITERATIONS,
  deriveKeyFromSecret,
  fromBase64Url,
  generateDataKey,
  newSalt,
  toBase64Url,
  unwrapKeyGcm,
  wrapKeyGcm,
} from "./crypto";
import { WeakPinError } from "./errors";

const B64u = z.string().regex(/^[A-Za-z0-9_-]+$/);
export const SealedSchema = z.object({ iv: B64u, ct: B64u });

/** What is stored to reopen a vault: KDF parameters and the wrapped data key. No secret in clear. */
export const VaultHeader = z.object({
  v: z.literal(1),
  kdf: z.object({
    name: z.literal("PBKDF2-SHA-256"),
    iterations: z.number().int().min(MIN_PBKDF2_ITERATIONS).max(50_000_000),
    salt: B64u,
  }),
  wrappedKey: SealedSchema,
});
export type VaultHeader = z.infer<typeof VaultHeader>;

/** An open vault: the data key (not extractable) and the header it came from. */
export interface OpenVault {
  header: VaultHeader;
  dataKey: CryptoKey;
}

/** Binds a wrapped data key to its vault id, so a header copied onto another profile does not open. */
function vaultAad(vaultId: string): string {
  return `haki-vault/v1/${vaultId}`;
}

const PIN_RE = /^[0-9]{4,8}$/;

/**
 * Checks a new PIN: 4 to 8 digits, not one digit repeated, not a straight run (1234, 9876).
 * Throws `WeakPinError` with a plain reason.
 *
 * @example
 * assertPinAcceptable("482913"); // ok
 * assertPinAcceptable("1111");   // throws WeakPinError
 */
export function assertPinAcceptable(pin: string): void {
  if (!PIN_RE.test(pin)) throw new WeakPinError("Use 4 to 8 numbers.");
  if (/^(\d)\1+$/.test(pin)) throw new WeakPinError("Do not use the same number again and again.");
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - (digits[i] ?? 0) + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) {
    throw new WeakPinError("Do not use numbers in a row like 1234.");
  }
}

/**
 * Creates a vault for `vaultId` under `pin` (checked with `assertPinAcceptable`).
 *
 * @example
 * const { header, dataKey } = await createVault("profile-1", "482913");
 */
export async function createVault(
  vaultId: string,
  pin: string,
  options: { iterations?: number } = {},
): Promise<OpenVault> {
  assertPinAcceptable(pin);
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  const salt = newSalt();
  const kek = await deriveKeyFromSecret(pin, salt, iterations, ["wrapKey", "unwrapKey"]);
  const dataKey = await generateDataKey();
  const wrappedKey = await wrapKeyGcm("raw", dataKey, kek, vaultAad(vaultId));
  const header: VaultHeader = {
    v: 1,
    kdf: { name: "PBKDF2-SHA-256", iterations, salt: toBase64Url(salt) },
    wrappedKey,
  };
  // Hand back a non-extractable copy: the extractable original is only needed for that one wrap.
  return { header, dataKey: await unwrapDataKey(vaultId, header, kek, false) };
}

async function unwrapDataKey(
  vaultId: string,
  header: VaultHeader,
  kek: CryptoKey,
  extractable: boolean,
): Promise<CryptoKey> {
  return unwrapKeyGcm("raw", header.wrappedKey, kek, vaultAad(vaultId), { name: "AES-GCM", length: 256 }, extractable, DATA_KEY_USAGES);
}

async function tryUnwrap(vaultId: string, header: VaultHeader, pin: string, extractable: boolean) {
  const parsed = VaultHeader.parse(header);
  const kek = await deriveKeyFromSecret(pin, fromBase64Url(parsed.kdf.salt), parsed.kdf.iterations, ["unwrapKey"]);
  try {
    return await unwrapDataKey(vaultId, parsed, kek, extractable);
  } catch {
    // AES-GCM gives one answer for a wrong PIN and a changed header; both mean "not opened".
    return undefined;
  }
}

/**
 * Opens a vault. Resolves `undefined` when the PIN is wrong (the caller counts the failure; see
 * `./throttle`), never throws for a wrong PIN.
 *
 * @example
 * const vault = await openVault("profile-1", header, pin);
 * if (!vault) showWrongPin();
 */
export async function openVault(vaultId: string, header: VaultHeader, pin: string): Promise<OpenVault | undefined> {
  const dataKey = await tryUnwrap(vaultId, header, pin, false);
  return dataKey ? { header, dataKey } : undefined;
}

/**
 * Re-wraps the data key under a new PIN (fresh salt, current iteration count). Resolves `undefined`
 * when `oldPin` is wrong. Records encrypted under the data key stay valid.
 *
 * @example
 * const next = await changeVaultPin("profile-1", header, "482913", "905172");
 */
export async function changeVaultPin(
  vaultId: string,
  header: VaultHeader,
  oldPin: string,
  newPin: string,
  options: { iterations?: number } = {},
): Promise<OpenVault | undefined> {
  assertPinAcceptable(newPin);
  const extractable = await tryUnwrap(vaultId, header, oldPin, true);
  if (!extractable) return undefined;
  const iterations = options.iterations ?? PBKDF2_ITERATIONS;
  const salt = newSalt();
  const kek = await deriveKeyFromSecret(newPin, salt, iterations, ["wrapKey", "unwrapKey"]);
  const next: VaultHeader = {
    v: 1,
    kdf: { name: "PBKDF2-SHA-256", iterations, salt: toBase64Url(salt) },
    wrappedKey: await wrapKeyGcm("raw", extractable, kek, vaultAad(vaultId)),
  };
  return { header: next, dataKey: await unwrapDataKey(vaultId, next, kek, false) };
}
