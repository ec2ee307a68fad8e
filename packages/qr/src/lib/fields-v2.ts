/**
 * Field encoders that format 2 (`HK2:`) adds to format 1's (fields.ts), made for what the running
 * issuer really signs rather than for the benchmark's fixture:
 * - key ids `key-` + base64url (the issuer's key store names keys `key-<12 characters>`) as bytes;
 * - `urn:uuid:` ids (every entitlement) as 16 bytes without a tag;
 * - beneficiary references `HK-` + 10 Crockford base32 characters (50 bits) as 7 bytes;
 * - display names in any script packed to a few bits per character (a Thai name is 3 UTF-8 bytes
 *   per character, an Amharic one 3 as well; packed 7 and 9 bits);
 * - status list URLs of the issuer's own routes (`<did:web origin>/status/<n>/<purpose>`, http or
 *   https) as one small integer;
 * - the programme (id and name) as a 4-byte reference when the verifiers know it (it is in their
 *   trust bundle), as the issuer already is, and the issuer's key id as a 2-byte one;
 * - area codes shaped like ISO 3166-2 with digits (`KE-047`) as 3 bytes;
 * - in-kind items and units that social protection programmes hand out most (WFP food basket
 *   commodities, non-food items) as one byte, as format 1 already did for currencies.
 * As in format 1, each decoder refuses anything its encoder would not have written.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { b64uDecodeStrict, b64uEncode, utf8Encode } from "./bytes";
import { ISSUER_REF_BYTES, UnknownIssuerRef, equalBytes, fail, isBytes, readArray, readInt, readString, type Cbor } from "./fields";

/** Key id fragment: null when default, 32 bytes for a JWK thumbprint, other bytes for `key-<base64url>`. */
export function encodeKeyFragment2(defaultFragment: string, fragment: string): Cbor {
  if (fragment === defaultFragment) return null;
  if (fragment.length === 43) {
    const b = b64uDecodeStrict(fragment);
    if (b) return b;
  }
  if (fragment.startsWith("key-") && fragment.length > 4) {
    const b = b64uDecodeStrict(fragment.slice(4));
    if (b && b.length !== 32) return b;
  }
  return fragment;
}
export function decodeKeyFragment2(defaultFragment: string, v: unknown, what: string): string {
  let fragment: string;
  if (v === null) return defaultFragment;
  if (isBytes(v)) fragment = v.length === 32 ? b64uEncode(v) : `key-${b64uEncode(v)}`;
  else fragment = readString(v, what);
  const again = encodeKeyFragment2(defaultFragment, fragment);
  const same = isBytes(v) ? isBytes(again) && equalBytes(again, v) : again === v;
  return same ? fragment : fail(`${what}: not canonical`);
}

// Identifiers: urn:uuid as its 16 bytes (the issuer's credential ids), a bare UUID as [2, bytes],
// random base64url (one-time ids) as bytes unless that would be 16 of them ([3, bytes] then).
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const uuidText = (b: Uint8Array): string => {
  const h = hex(b);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const uuidBytes = (s: string): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => parseInt(s.replaceAll("-", "").slice(i * 2, i * 2 + 2), 16));

export function encodeId2(id: string | undefined): Cbor {
  if (id === undefined) return null;
  if (id.startsWith("urn:uuid:") && UUID.test(id.slice(9))) return uuidBytes(id.slice(9));
  if (UUID.test(id)) return [2, uuidBytes(id)];
  const b = id.length >= 8 ? b64uDecodeStrict(id) : undefined;
  if (b) return b.length === 16 ? [3, b] : b;
  return id;
}
export function decodeId2(v: unknown, what: string): string | undefined {
  if (v === null) return undefined;
  let id: string;
  if (typeof v === "string") id = v;
  else if (isBytes(v)) id = v.length === 16 ? `urn:uuid:${uuidText(v)}` : b64uEncode(v);
  else {
    const [kind, bytes] = readArray(v, what, 2);
    if (!isBytes(bytes) || (kind === 2 && bytes.length !== 16)) return fail(what);
    if (kind === 2) id = uuidText(bytes);
    else if (kind === 3) id = b64uEncode(bytes);
    else return fail(what);
  }
  return sameCbor(encodeId2(id), v) ? id : fail(`${what}: not canonical`);
}

function sameCbor(a: Cbor, b: unknown): boolean {
  if (a === null || typeof a === "string" || typeof a === "number") return a === b;
  if (a instanceof Uint8Array) return isBytes(b) && equalBytes(a, b);
  return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameCbor(x, b[i]));
}

// Beneficiary references: "HK-" + 10 Crockford base32 characters, 50 random bits, as 7 bytes.
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const REF = /^HK-[0-9A-HJKMNP-TV-Z]{10}$/;
const REF_BYTES = 7;

export function encodeReference(ref: string): Cbor {
  if (!REF.test(ref)) return ref;
  let n = 0n;
  for (const c of ref.slice(3)) n = (n << 5n) | BigInt(CROCKFORD.indexOf(c));
  return Uint8Array.from({ length: REF_BYTES }, (_, i) => Number((n >> BigInt(8 * (REF_BYTES - 1 - i))) & 0xffn));
}
export function decodeReference(v: unknown, what: string): string {
  if (typeof v === "string") return REF.test(v) ? fail(`${what}: not canonical`) : v;
  if (!isBytes(v, REF_BYTES) || v[0]! >= 4) return fail(what); // 56 bits carry 50: the top 6 are zero
  let n = v.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  let out = "";
  for (let i = 0; i < 10; i++, n >>= 5n) out = CROCKFORD[Number(n & 31n)]! + out;
  return `HK-${out}`;
}

/**
 * Text packed to `w` bits per character, as a byte string: one byte `w`, the base code point as an
 * unsigned LEB128 varint, then the characters: value 0 is a space, value k >= 1 the code point
 * base + k - 1, and the all-ones value is never a character (it pads the last byte). Only used when
 * it is shorter than the plain text's CBOR, so each string has one encoding.
 */
const MAX_PACKED_WIDTH = 21;
export function encodeText2(text: string): Cbor {
  const points = Array.from(text, (c) => c.codePointAt(0)!);
  const letters = points.filter((p) => p !== 0x20);
  if (letters.length === 0 || points.length < 4) return text;
  const base = Math.min(...letters);
  const span = Math.max(...letters) - base + 1;
  let w = 1;
  while ((1 << w) - 1 < span + 1) w++; // values 0 .. span, plus the reserved all-ones value
  if (w > MAX_PACKED_WIDTH) return text;
  const head = [w, ...leb128(base)];
  const bytes = new Uint8Array(head.length + Math.ceil((points.length * w) / 8)).fill(0xff);
  bytes.set(head);
  let bit = head.length * 8;
  for (const p of points) {
    const value = p === 0x20 ? 0 : p - base + 1;
    for (let i = w - 1; i >= 0; i--, bit++) {
      const mask = 0x80 >> (bit % 8);
      if ((value >> i) & 1) bytes[bit >> 3]! |= mask;
      else bytes[bit >> 3]! &= ~mask;
    }
  }
  return cborLength(bytes) < cborLength(text) ? bytes : text;
}
export function decodeText2(v: unknown, what: string): string {
  if (typeof v === "string") {
    if (encodeText2(v) !== v) fail(`${what}: not canonical`);
    return v;
  }
  if (!isBytes(v) || v.length < 3) return fail(what);
  const w = v[0]!;
  if (w < 2 || w > MAX_PACKED_WIDTH) return fail(what);
  let base = 0;
  let at = 1;
  for (let shift = 0; ; shift += 7) {
    if (at >= v.length || shift > 21) return fail(what);
    const b = v[at++]!;
    base += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) break;
  }
  const values: number[] = [];
  for (let bit = at * 8; bit + w <= v.length * 8; bit += w) {
    let value = 0;
    for (let i = 0; i < w; i++) value = (value << 1) | ((v[(bit + i) >> 3]! >> (7 - ((bit + i) % 8))) & 1);
    values.push(value);
  }
  const all = (1 << w) - 1;
  while (values.at(-1) === all) values.pop(); // padding of the last byte
  if (values.some((x) => x === all || base + x - 1 > 0x10ffff)) return fail(what);
  const text = String.fromCodePoint(...values.map((x) => (x === 0 ? 0x20 : base + x - 1)));
  return sameCbor(encodeText2(text), v) ? text : fail(`${what}: not canonical`);
}

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    const b = n % 128;
    n = Math.floor(n / 128);
    out.push(n > 0 ? b | 0x80 : b);
  } while (n > 0);
  return out;
}

/** CBOR length of a string, small integer, byte string or array of those (what encodeText2 compares). */
function cborLength(v: Cbor): number {
  const head = (n: number) => (n < 24 ? 1 : n < 256 ? 2 : n < 65536 ? 3 : 5);
  if (typeof v === "string") {
    const n = new TextEncoder().encode(v).length;
    return head(n) + n;
  }
  if (typeof v === "number") return head(v);
  if (v instanceof Uint8Array) return head(v.length) + v.length;
  if (v === null) return 1;
  return head(v.length) + v.reduce((s: number, x) => s + cborLength(x), 0);
}

/**
 * The origin and path of a did:web without a scheme (did:web:localhost%3A3000 -> localhost:3000/).
 * Status lists may be served over https or, on a developer's machine, plain http.
 */
export function didWebHost(did: string): string | undefined {
  if (!did.startsWith("did:web:")) return undefined;
  try {
    return `${did.slice(8).split(":").map(decodeURIComponent).join("/")}/`;
  } catch {
    return undefined;
  }
}

/** Status list paths Haki serves (issuer routes) or its tests and demos use; {n} is the list number. */
const STATUS_PATHS = ["status/{n}/{purpose}", "status/{purpose}/{n}", "api/status/{purpose}/{n}", "api/status/{n}/{purpose}"] as const;
const SCHEMES = ["https://", "http://"] as const;
const LIST_NUMBER = /^[1-9][0-9]{0,8}$/;

/**
 * A status list URL: a small integer for the issuer's own list routes (list number, path form,
 * scheme), [path] or [path, 1] for another path under the issuer's origin (https, http), text for
 * any other URL.
 */
export function encodeStatusUrl(url: string, issuer: string, purpose: "revocation" | "suspension"): Cbor {
  const host = didWebHost(issuer);
  if (!host) return url;
  for (const [scheme, prefix] of SCHEMES.entries()) {
    if (!url.startsWith(prefix + host)) continue;
    const path = url.slice(prefix.length + host.length);
    for (const [form, template] of STATUS_PATHS.entries()) {
      const [before, after] = template.replace("{purpose}", purpose).split("{n}") as [string, string];
      const n = path.startsWith(before) && path.endsWith(after) ? path.slice(before.length, path.length - after.length) : "";
      if (LIST_NUMBER.test(n)) return Number(n) * 8 + form * 2 + scheme;
    }
    if (path.length > 0) return scheme === 0 ? [path] : [path, 1];
  }
  return url;
}
export function decodeStatusUrl(v: unknown, issuer: string, purpose: "revocation" | "suspension", what: string): string {
  const host = didWebHost(issuer);
  let url: string;
  if (typeof v === "string") url = v;
  else if (typeof v === "number") {
    const t = readInt(v, what, 8, 8 * 999_999_999 + 7);
    if (!host) return fail(what);
    url = SCHEMES[t & 1]! + host + STATUS_PATHS[(t >> 1) & 3]!.replace("{purpose}", purpose).replace("{n}", String(t >> 3));
  } else {
    const a = readArray(v, what, 1, 2);
    if (!host || (a.length === 2 && a[1] !== 1)) return fail(what);
    url = SCHEMES[a.length - 1]! + host + readString(a[0], what);
  }
  return sameCbor(encodeStatusUrl(url, issuer, purpose), v) ? url : fail(`${what}: not canonical`);
}

/** A programme's 4-byte reference: the first bytes of SHA-256 of its id and name. */
export function programmeRef(p: { id: string; name: string }): Uint8Array {
  return sha256(utf8Encode(JSON.stringify([p.id, p.name]))).subarray(0, ISSUER_REF_BYTES);
}
/** The reference of `p`, or undefined when it would name several of the `known` programmes. */
export function encodeProgrammeRef(p: { id: string; name: string }, known: readonly { id: string; name: string }[]): Uint8Array | undefined {
  const ref = programmeRef(p);
  const same = known.filter((k) => equalBytes(programmeRef(k), ref) && (k.id !== p.id || k.name !== p.name));
  return same.length === 0 ? ref : undefined;
}
/** The one known programme a reference names; UnknownIssuerRef when none or several (the verifier cannot serve it). */
export function decodeProgrammeRef(v: Uint8Array, known: readonly { id: string; name: string }[] | undefined): { id: string; name: string } {
  if (v.length !== ISSUER_REF_BYTES) return fail("programme reference");
  const matches = (known ?? []).filter((k) => equalBytes(programmeRef(k), v));
  const distinct = new Set(matches.map((m) => JSON.stringify([m.id, m.name])));
  if (distinct.size !== 1) throw new UnknownIssuerRef(distinct.size === 0 ? "no programme" : "several programmes");
  return { id: matches[0]!.id, name: matches[0]!.name };
}

/**
 * A key id the verifiers know (their trust bundle lists each issuer's keys) as a 16-bit reference:
 * the first two bytes of SHA-256 of the full key id. Unique among one issuer's few keys.
 */
export function keyRef(kid: string): number {
  const h = sha256(utf8Encode(kid));
  return h[0]! * 256 + h[1]!;
}
/** The fragment a key reference names among the issuer's known keys; UnknownIssuerRef when none or several. */
export function decodeKeyRef(v: number, did: string, known: readonly string[] | undefined): string {
  const matches = [...new Set((known ?? []).filter((k) => k.startsWith(`${did}#`) && keyRef(k) === v))];
  if (matches.length !== 1) throw new UnknownIssuerRef(matches.length === 0 ? "no key" : "several keys");
  return matches[0]!.slice(did.length + 1);
}

/**
 * In-kind items and units as one CBOR byte (index below 24); anything else stays text. Exact
 * strings only (case and spelling as a programme office would type them); a new entry needs a new
 * format version.
 */
const COMMON_ITEMS = [
  "Maize flour", "Maize", "Rice", "Wheat flour", "Sorghum", "Beans", "Lentils", "Split peas", "Cooking oil", "Vegetable oil",
  "Sugar", "Salt", "Fortified blended food", "Corn-soya blend", "Ready-to-use therapeutic food", "Soap", "Blanket",
  "Sleeping mat", "Mosquito net", "Tarpaulin", "Jerrycan", "Kitchen set", "Hygiene kit", "Seeds",
] as const;
const COMMON_UNITS = ["kg", "g", "l", "litre", "bag", "bar", "tin", "piece", "pack", "sachet", "bottle", "box", "kit", "set", "carton", "dose"] as const;

export function encodeWord(word: string, table: "item" | "unit"): Cbor {
  const i = (table === "item" ? COMMON_ITEMS : COMMON_UNITS).indexOf(word as never);
  return i >= 0 ? i : word;
}
export function decodeWord(v: unknown, table: "item" | "unit", what: string): string {
  const list: readonly string[] = table === "item" ? COMMON_ITEMS : COMMON_UNITS;
  if (typeof v === "number") return list[readInt(v, what, 0, list.length - 1)]!;
  const word = readString(v, what);
  return list.includes(word) ? fail(`${what}: not canonical`) : word;
}

// Area codes "CC-d", "CC-dd" or "CC-ddd" (two letters, one to three digits): 676 countries x 1110
// digit strings (leading zeros kept) = 750,360 values, as 3 bytes.
const AREA = /^([A-Z]{2})-([0-9]{1,3})$/;
const DIGIT_OFFSETS = [0, 10, 110]; // first value of 1, 2 and 3 digit strings
const AREA_BYTES = 3;

export function encodeArea(area: string): Cbor {
  const m = AREA.exec(area);
  if (!m) return area;
  const country = (m[1]!.charCodeAt(0) - 65) * 26 + (m[1]!.charCodeAt(1) - 65);
  const n = country * 1110 + DIGIT_OFFSETS[m[2]!.length - 1]! + Number(m[2]);
  return Uint8Array.of(n >> 16, (n >> 8) & 0xff, n & 0xff);
}
export function decodeArea(v: unknown, what: string): string {
  if (typeof v === "string") return AREA.test(v) ? fail(`${what}: not canonical`) : v;
  if (!isBytes(v, AREA_BYTES)) return fail(what);
  const n = (v[0]! << 16) | (v[1]! << 8) | v[2]!;
  const country = Math.floor(n / 1110);
  if (country >= 676) return fail(what);
  const rest = n % 1110;
  const len = rest >= 110 ? 3 : rest >= 10 ? 2 : 1;
  const digits = String(rest - DIGIT_OFFSETS[len - 1]!).padStart(len, "0");
  return `${String.fromCharCode(65 + Math.floor(country / 26), 65 + (country % 26))}-${digits}`;
}
