import { randomBytes, randomUUID } from "node:crypto";

// Crockford base32: no I, L, O, U, so a reference read aloud or typed from a card is unambiguous.
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A new opaque id for a database row. */
export function newId(): string {
  return randomUUID();
}

/**
 * A pseudonymous beneficiary reference: "HK-" and 10 Crockford base32 characters (50 random bits).
 *
 * @example
 * newBeneficiaryRef(); // "HK-7M2Q9XK4TB"
 */
export function newBeneficiaryRef(): string {
  const bytes = randomBytes(10);
  let out = "";
  for (const b of bytes) out += CROCKFORD[b & 31];
  return `HK-${out}`;
}

/** A random secret as base64url (tokens, codes). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
