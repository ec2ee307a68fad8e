/**
 * The compact field of a paper card bound to a national ID (issue 16), the 20th field of
 * credential-form.ts: [kid, fields, cost, salt, mac].
 */
import { base64urlnopad } from "@scure/base";
import type { IdBinding } from "@haki/id-binding/model";
import { NotCompactable, fail, isBytes, readArray, readInt, readString, type Cbor } from "./fields";

// A paper card bound to a national ID (issue 16): [kid, fields, cost, salt, mac] as a 20th field.
// The kid is the number n when it is the issuer's `<programme id>-<n>`, the salt and the MAC are
// their 16 bytes, the cost is null for @haki/id-binding's default (2^15, 8, 1). Version 1 only.
const BINDING_FIELDS = ["id", "id+birthDate"] as const;

function b64Bytes(text: string, what: string): Uint8Array {
  const bytes = base64urlnopad.decode(text);
  // A text that does not come back the same (stray bits in its last character) is not canonical.
  if (bytes.length !== 16 || base64urlnopad.encode(bytes) !== text) throw new NotCompactable(what);
  return bytes;
}

export function encodeBinding(b: IdBinding, programmeId: string): Cbor {
  if (b.v !== 1) throw new NotCompactable("idBinding version");
  const n = b.kid.startsWith(`${programmeId}-`) ? b.kid.slice(programmeId.length + 1) : "";
  const kid = /^[1-9]\d{0,5}$/.test(n) ? Number(n) : b.kid;
  const cost = b.logN === 15 && b.r === 8 && b.p === 1 ? null : [b.logN, b.r, b.p];
  return [kid, BINDING_FIELDS.indexOf(b.fields), cost, b64Bytes(b.salt, "idBinding salt"), b64Bytes(b.mac, "idBinding mac")];
}

export function decodeBinding(v: unknown, programmeId: string): IdBinding {
  const a = readArray(v, "idBinding", 5);
  const kid = typeof a[0] === "number" ? `${programmeId}-${readInt(a[0], "idBinding key", 1, 999_999)}` : readString(a[0], "idBinding key");
  const fields = BINDING_FIELDS[readInt(a[1], "idBinding fields", 0, 1)]!;
  const [logN, r, p] = a[2] === null ? [15, 8, 1] : readArray(a[2], "idBinding cost", 3).map((x) => readInt(x, "idBinding cost", 1, 64));
  if (!isBytes(a[3], 16) || !isBytes(a[4], 16)) fail("idBinding salt or mac");
  return { v: 1, kid, fields, logN: logN!, r: r!, p: p!, salt: base64urlnopad.encode(a[3]), mac: base64urlnopad.encode(a[4]) };
}
