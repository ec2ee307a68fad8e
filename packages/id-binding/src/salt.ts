/**
 * A bound card's scrypt salt, derived from what the card already carries instead of drawn at
 * random and printed: its credential id and its revocation status entry. The QR code then no
 * longer carries 16 salt bytes (issue 13's 311-character paper card). Only SHA-256
 * (`@noble/hashes`, audited), so the QR codec rebuilds the salt without loading scrypt.
 * README.md ("The salt") gives the security argument.
 *
 *   salt = first 16 bytes of SHA-256("haki-id-binding/1 card salt" \n credential id \n status entry)
 *
 * The status entry is `<revocation list URL>#<index>`: the issuer gives every card, a replacement
 * card included, its own position in its own list, so the pair is unique per card.
 */
import { sha256 } from "@noble/hashes/sha2.js";

/** Separates this hash from every other use of SHA-256 over a credential's fields. */
const SALT_DOMAIN = "haki-id-binding/1 card salt";
const enc = new TextEncoder();

/** What a card carries that its salt is derived from. */
export interface CardRef {
  /** The credential id (`jti` / `id`): `urn:uuid:<random UUID>` from Haki's issuer. */
  id: string;
  /** The revocation status entry: `<revocation list URL>#<index>`. */
  statusEntry: string;
}

/**
 * The salt of the card `card`, or undefined when the card lacks an id or a status entry (such a
 * card needs a random salt, carried in its QR code).
 *
 * @example
 * cardSaltOf({ id: "urn:uuid:6f1c2b9e-3a47-4c1d-9b2e-0d5f8a7c4e31", statusEntry: "https://haki.example/api/status/1#42" }); // Uint8Array(16)
 */
export function cardSaltOf(card: Partial<CardRef> | undefined): Uint8Array | undefined {
  if (!card?.id || !card.statusEntry || /\n/.test(card.id) || /\n/.test(card.statusEntry)) return undefined;
  return sha256(enc.encode(`${SALT_DOMAIN}\n${card.id}\n${card.statusEntry}`)).slice(0, 16);
}

/**
 * The status entry of a card as `CardRef` wants it.
 *
 * @example
 * statusEntryOf("https://haki.example/api/status/1", 42); // "https://haki.example/api/status/1#42"
 */
export function statusEntryOf(revocationList: string, index: number | string): string {
  return `${revocationList}#${index}`;
}
