/**
 * The compact field of a paper card bound to a national ID (issue 16), the 20th field of
 * credential-form.ts: [kid, fields, cost, salt, mac]. The salt is null when it is the one derived
 * from the card's own id and status entry (`@haki/id-binding/salt`, issued since 2026-12-07): the
 * decoder derives it again, and the signature over the rebuilt JWT proves it right. Older cards
 * carry their random 16 bytes as before.
 */
import { base64urlnopad } from "@scure/base";
import type { IdBinding } from "@haki/id-binding/model";
import { cardSaltOf, type CardRef } from "@haki/id-binding/salt";
import { NotCompactable, fail, isBytes, readArray, readInt, readString, type Cbor } from "./fields";

// A paper card bound to a national ID (issue 16): [kid, fields, cost, salt, mac] as a 20th field.
// The kid is the number n when it is the issuer's `<programme id>-<n>`, the salt and the MAC are
// their 16 bytes (the salt null when derived from the card), the cost is null for
// @haki/id-binding's default (2^15, 8, 1). Version 1 only.
const BINDING_FIELDS = ["id", "id+birthDate"] as const;

function b64Bytes(text: string, what: string): Uint8Array {
  const bytes = base64urlnopad.decode(text);
  // A text that does not come back the same (stray bits in its last character) is not canonical.
  if (bytes.length !== 16 || base64urlnopad.encode(bytes) !== text) throw new NotCompactable(what);
  return bytes;
}

function derivedSalt(card: Partial<CardRef>): string | undefined {
  const salt = cardSaltOf(card);
  return salt && base64urlnopad.encode(salt);
}

/** `card`: the credential's id and revocation status entry, from which a salt may be derived. */
export function encodeBinding(b: IdBinding, programmeId: string, card: Partial<CardRef>): Cbor {
  if (b.v !== 1) throw new NotCompactable("idBinding version");
  const n = b.kid.startsWith(`${programmeId}-`) ? b.kid.slice(programmeId.length + 1) : "";
  const kid = /^[1-9]\d{0,5}$/.test(n) ? Number(n) : b.kid;
  const cost = b.logN === 15 && b.r === 8 && b.p === 1 ? null : [b.logN, b.r, b.p];
  return [kid, BINDING_FIELDS.indexOf(b.fields), cost, b.salt === derivedSalt(card) ? null : b64Bytes(b.salt, "idBinding salt"), b64Bytes(b.mac, "idBinding mac")];
}

export function decodeBinding(v: unknown, programmeId: string, card: Partial<CardRef>): IdBinding {
  const a = readArray(v, "idBinding", 5);
  const kid = typeof a[0] === "number" ? `${programmeId}-${readInt(a[0], "idBinding key", 1, 999_999)}` : readString(a[0], "idBinding key");
  const fields = BINDING_FIELDS[readInt(a[1], "idBinding fields", 0, 1)]!;
  const [logN, r, p] = a[2] === null ? [15, 8, 1] : readArray(a[2], "idBinding cost", 3).map((x) => readInt(x, "idBinding cost", 1, 64));
  if (!isBytes(a[4], 16)) fail("idBinding mac");
  const derived = derivedSalt(card);
  let salt: string;
  if (a[3] === null) salt = derived ?? fail("idBinding salt: the card has no id or status entry to derive it from");
  else if (isBytes(a[3], 16)) salt = base64urlnopad.encode(a[3]);
  else return fail("idBinding salt");
  // One form per card: a salt the decoder can derive is never carried.
  if (a[3] !== null && salt === derived) fail("idBinding salt: not canonical");
  return { v: 1, kid, fields, logN: logN!, r: r!, p: p!, salt, mac: base64urlnopad.encode(a[4]) };
}
