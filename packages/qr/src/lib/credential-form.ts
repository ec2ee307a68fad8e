/**
 * Compact mode for an entitlement credential: the information of the canonical payload
 * (credentials/canonical.ts) as a flat CBOR array, and back to the exact header and payload text.
 * Format 1 carries VC 1.1 VC-JWTs with the two contexts of the first cards; format 2 carries VC 1.1
 * (either context list) and VC 2.0 `vc+jwt`, with the field encodings of fields-v2.ts.
 */
import {
  LEGACY_VC1_CONTEXTS,
  VC1_CONTEXTS,
  VC2_CONTEXTS,
  serializeEntitlementCredentialV2,
  serializeEntitlementPayload,
  toDateTimeStamp,
} from "@haki/credentials/canonical";
import { serializeJwsHeader } from "@haki/credentials/sign";
import {
  ENTITLEMENT_CREDENTIAL_TYPE,
  ENTITLEMENT_SCHEMA_V1,
  ENTITLEMENT_SCHEMA_V2,
  EntitlementCredentialV2,
  EntitlementJwtPayload,
  JOSE_TYPES,
  STATUS_ENTRY_TYPE,
  type Benefit,
  type BitstringStatusListEntry,
  type EntitlementSubject,
  type JwtCredentialFormat,
} from "@haki/credentials/model";
import {
  NotCompactable,
  decodeAmount,
  decodeCurrency,
  decodeDid,
  decodeId,
  decodeKeyFragment,
  decodeSeconds,
  decodeTime,
  decodeUrl,
  defaultKeyFragment,
  encodeAmount,
  encodeCurrency,
  encodeDid,
  encodeId,
  encodeKeyFragment,
  encodeSeconds,
  encodeTime,
  encodeUrl,
  fail,
  isBytes,
  readArray,
  readInt,
  readString,
  type Cbor,
} from "./fields";
import {
  decodeId2,
  decodeKeyFragment2,
  decodeReference,
  decodeStatusUrl,
  decodeText2,
  encodeId2,
  encodeKeyFragment2,
  encodeReference,
  encodeStatusUrl,
  encodeText2,
  decodeKeyRef,
  decodeProgrammeRef,
  encodeProgrammeRef,
  keyRef,
  decodeArea,
  decodeWord,
  encodeArea,
  encodeWord,
} from "./fields-v2";
import { parseJson } from "./jws";
import { decodeBinding, encodeBinding } from "./binding-fields";
import { statusEntryOf } from "@haki/id-binding/salt";

type Purpose = "revocation" | "suspension";

/** The field encodings of one payload format version. */
export interface FieldProfile {
  keyFragment: {
    encode(did: string, fragment: string, knownKeys?: readonly string[]): Cbor;
    decode(did: string, v: unknown, what: string, knownKeys?: readonly string[]): string;
  };
  id: { encode(id: string | undefined): Cbor; decode(v: unknown, what: string): string | undefined };
  beneficiary: { encode(ref: string): Cbor; decode(v: unknown, what: string): string };
  name: { encode(name: string): Cbor; decode(v: unknown, what: string): string };
  statusUrl: { encode(url: string, issuer: string, purpose: Purpose): Cbor; decode(v: unknown, issuer: string, purpose: Purpose, what: string): string };
  area: { encode(area: string): Cbor; decode(v: unknown, what: string): string };
  /** In-kind item and unit. */
  word: { encode(word: string, table: "item" | "unit"): Cbor; decode(v: unknown, table: "item" | "unit", what: string): string };
  /** Programme id and name: two fields, the first a reference and the second null when the verifiers know it. */
  programme: {
    encode(p: Programme, known?: readonly Programme[]): [Cbor, Cbor];
    decode(id: unknown, name: unknown, known?: readonly Programme[]): Programme;
  };
}

type Programme = { id: string; name: string };

const programmeText: FieldProfile["programme"] = {
  encode: (p) => [p.id, p.name],
  decode: (id, name) => ({ id: readString(id, "programme id"), name: readString(name, "programme name") }),
};

export const FIELDS_V1: FieldProfile = {
  keyFragment: { encode: (did, fragment) => encodeKeyFragment(did, fragment), decode: (did, v, what) => decodeKeyFragment(did, v, what) },
  id: { encode: encodeId, decode: decodeId },
  beneficiary: { encode: (ref) => ref, decode: readString },
  name: { encode: (name) => name, decode: readString },
  statusUrl: { encode: (url, issuer) => encodeUrl(url, issuer), decode: (v, issuer, _purpose, what) => decodeUrl(v, issuer, what) },
  area: { encode: (area) => area, decode: readString },
  word: { encode: (word) => word, decode: (v, _table, what) => readString(v, what) },
  programme: programmeText,
};

export const FIELDS_V2: FieldProfile = {
  keyFragment: {
    // A key the verifiers know goes as a 16-bit reference (unless it is the DID's default key id).
    encode: (did, fragment, known) =>
      fragment !== defaultKeyFragment(did) && known?.includes(`${did}#${fragment}`) ? keyRef(`${did}#${fragment}`) : encodeKeyFragment2(defaultKeyFragment(did), fragment),
    decode: (did, v, what, known) => (typeof v === "number" ? decodeKeyRef(v, did, known) : decodeKeyFragment2(defaultKeyFragment(did), v, what)),
  },
  id: { encode: encodeId2, decode: decodeId2 },
  beneficiary: { encode: encodeReference, decode: decodeReference },
  name: { encode: encodeText2, decode: decodeText2 },
  statusUrl: { encode: encodeStatusUrl, decode: decodeStatusUrl },
  area: { encode: encodeArea, decode: decodeArea },
  word: { encode: encodeWord, decode: decodeWord },
  programme: {
    encode(p, known) {
      const ref = known?.some((k) => k.id === p.id && k.name === p.name) ? encodeProgrammeRef(p, known) : undefined;
      return ref ? [ref, null] : programmeText.encode(p);
    },
    decode(id, name, known) {
      if (!isBytes(id)) return programmeText.decode(id, name);
      if (name !== null) fail("programme: reference and name");
      return decodeProgrammeRef(id, known);
    },
  },
};

/**
 * What a verifier knows from its trust bundle, so a payload may name it by a 4-byte reference: the
 * issuers' DIDs, and (format 2) the programmes, id and name.
 */
export interface QrReferences {
  issuers?: readonly string[];
  /** Full key ids (`<did>#<fragment>`) of the issuers' keys. */
  keys?: readonly string[];
  programmes?: readonly { id: string; name: string }[];
}

/** What the compact fields alone do not say: the credential's format and (VC 1.1) its context list. */
export interface CredentialVariant {
  format: JwtCredentialFormat;
  /** A VC 1.1 card issued before the status context was added to `@context`. */
  legacyContexts: boolean;
}

/** The JOSE header Haki signs with: EdDSA, the format's typ, kid = `<did>#<key id>`, in that order. */
export const joseHeader = (kid: string, typ: string = JOSE_TYPES.vc1.credential): string => serializeJwsHeader(kid, typ);

const SUSPENSION_FROM_REVOCATION = (url: string): string | undefined => {
  const at = url.lastIndexOf("revocation");
  return at < 0 ? undefined : url.slice(0, at) + "suspension" + url.slice(at + "revocation".length);
};

function splitKid(header: string, did: string, typ: string): string {
  const h = parseJson(header) as { kid?: unknown } | undefined;
  const kid = h?.kid;
  if (typeof kid !== "string" || !kid.startsWith(`${did}#`)) throw new NotCompactable("kid");
  const fragment = kid.slice(did.length + 1);
  if (header !== joseHeader(kid, typ)) throw new NotCompactable("header");
  return fragment;
}

function encodeBenefit(b: Benefit, profile: FieldProfile): Cbor {
  switch (b.type) {
    case "Cash":
      return [0, encodeAmount(b.amount), encodeCurrency(b.currency)];
    case "InKind":
      return [1, profile.word.encode(b.item, "item"), b.quantity, profile.word.encode(b.unit, "unit")];
    case "Voucher":
      return [
        2,
        b.description,
        b.amount === undefined ? null : encodeAmount(b.amount),
        b.currency === undefined ? null : encodeCurrency(b.currency),
      ];
  }
}

function decodeBenefit(v: unknown, profile: FieldProfile): Benefit {
  const a = readArray(v, "benefit", 3, 4);
  switch (a[0]) {
    case 0:
      if (a.length !== 3) fail("cash");
      return { type: "Cash", amount: decodeAmount(a[1], "amount"), currency: decodeCurrency(a[2], "currency") };
    case 1: {
      if (a.length !== 4) fail("in-kind");
      const quantity = a[2];
      if (typeof quantity !== "number" || !Number.isFinite(quantity)) fail("quantity");
      return { type: "InKind", item: profile.word.decode(a[1], "item", "item"), quantity, unit: profile.word.decode(a[3], "unit", "unit") };
    }
    case 2: {
      if (a.length !== 4) fail("voucher");
      return {
        type: "Voucher",
        description: readString(a[1], "description"),
        amount: a[2] === null ? undefined : decodeAmount(a[2], "amount"),
        currency: a[3] === null ? undefined : decodeCurrency(a[3], "currency"),
      };
    }
    default:
      return fail("benefit type");
  }
}

/** The information both formats share, whichever claims carry it. */
interface CredentialInfo {
  iss: string;
  sub?: string;
  jti?: string;
  nbf: number;
  exp: number;
  iat?: number;
  subject: EntitlementSubject;
  status: BitstringStatusListEntry[];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Reads a canonical credential of either format; NotCompactable for anything else. */
function readCredential(payloadText: string, formats: readonly JwtCredentialFormat[]): { info: CredentialInfo; variant: CredentialVariant } {
  const json = parseJson(payloadText);
  if (formats.includes("vc1") && typeof json === "object" && json !== null && "vc" in json) {
    const parsed = EntitlementJwtPayload.safeParse(json);
    if (!parsed.success) throw new NotCompactable("payload");
    const p = parsed.data;
    const contexts = p.vc["@context"];
    const legacyContexts = sameList(contexts, LEGACY_VC1_CONTEXTS);
    if (!legacyContexts && !sameList(contexts, VC1_CONTEXTS)) throw new NotCompactable("@context");
    const info = { iss: p.iss, sub: p.sub, jti: p.jti, nbf: p.nbf, exp: p.exp, iat: p.iat, subject: p.vc.credentialSubject, status: p.vc.credentialStatus };
    return { info, variant: { format: "vc1", legacyContexts } };
  }
  if (!formats.includes("vc2")) throw new NotCompactable("format");
  const parsed = EntitlementCredentialV2.safeParse(json);
  if (!parsed.success) throw new NotCompactable("payload");
  const c = parsed.data;
  if (typeof c.issuer !== "string" || !sameList(c["@context"], VC2_CONTEXTS)) throw new NotCompactable("issuer or @context");
  const nbf = Date.parse(c.validFrom) / 1000;
  const exp = Date.parse(c.validUntil) / 1000;
  // Haki writes whole seconds in UTC; anything else is carried by the generic form.
  if (!Number.isInteger(nbf) || !Number.isInteger(exp) || toDateTimeStamp(new Date(nbf * 1000)) !== c.validFrom || toDateTimeStamp(new Date(exp * 1000)) !== c.validUntil) {
    throw new NotCompactable("validity times");
  }
  const { id: sub, ...subject } = c.credentialSubject;
  return { info: { iss: c.issuer, sub, jti: c.id, nbf, exp, subject, status: c.credentialStatus }, variant: { format: "vc2", legacyContexts: false } };
}

/**
 * The compact fields of an entitlement credential and its variant, or NotCompactable when its
 * header or payload is not exactly what Haki's canonical form would give for the same information.
 */
export function compactCredential(
  header: string,
  payloadText: string,
  refs: QrReferences,
  profile: FieldProfile,
  formats: readonly JwtCredentialFormat[],
): { fields: Cbor[]; variant: CredentialVariant } {
  const { info: p, variant } = readCredential(payloadText, formats);
  const s = p.subject;
  const [rev, sus] = p.status;
  if (!rev || !sus || rev.statusPurpose !== "revocation" || sus.statusPurpose !== "suspension") throw new NotCompactable("status");
  const susUrl = sus.statusListCredential;
  const fields: Cbor[] = [
    profile.keyFragment.encode(p.iss, splitKid(header, p.iss, JOSE_TYPES[variant.format].credential), refs.keys),
    encodeDid(p.iss, "web", refs.issuers),
    p.sub === undefined ? null : encodeDid(p.sub, "jwk"),
    profile.id.encode(p.jti),
    encodeTime(p.nbf),
    encodeSeconds(p.exp - p.nbf),
    p.iat === undefined ? null : encodeSeconds(p.iat - p.nbf),
    profile.beneficiary.encode(s.beneficiary),
    s.name === undefined ? null : profile.name.encode(s.name),
    ...profile.programme.encode(s.programme, refs.programmes),
    s.cycle,
    encodeBenefit(s.benefit, profile),
    s.redemption === "single" ? 0 : 1,
    s.area === undefined ? null : profile.area.encode(s.area),
    s.servicePoints ? [...s.servicePoints] : null,
    profile.statusUrl.encode(rev.statusListCredential, p.iss, "revocation"),
    SUSPENSION_FROM_REVOCATION(rev.statusListCredential) === susUrl ? null : profile.statusUrl.encode(susUrl, p.iss, "suspension"),
    Number(rev.statusListIndex),
  ];
  if (s.idBinding) fields.push(encodeBinding(s.idBinding, s.programme.id, { id: p.jti, statusEntry: statusEntryOf(rev.statusListCredential, rev.statusListIndex) }));
  return { fields, variant };
}

/** The fields of an unbound card; a card bound to a national ID has one more. */
export const CREDENTIAL_FIELD_COUNT = 19;

const entry = (purpose: Purpose, url: string, index: string): BitstringStatusListEntry => ({
  id: `${url}#${index}`,
  type: STATUS_ENTRY_TYPE,
  statusPurpose: purpose,
  statusListIndex: index,
  statusListCredential: url,
});

/** Header and payload text rebuilt from compact fields (throws FieldError on malformed fields). */
export function expandCredential(
  fields: readonly unknown[],
  refs: QrReferences,
  profile: FieldProfile,
  variant: CredentialVariant,
): { header: string; payload: string; holder?: string } {
  const f = readArray(fields, "credential", CREDENTIAL_FIELD_COUNT, CREDENTIAL_FIELD_COUNT + 1);
  const iss = decodeDid(f[1], "web", "issuer", refs.issuers);
  const kid = `${iss}#${profile.keyFragment.decode(iss, f[0], "key id", refs.keys)}`;
  const sub = f[2] === null ? undefined : decodeDid(f[2], "jwk", "holder");
  const nbf = decodeTime(f[4], "valid from");
  const exp = nbf + decodeSeconds(f[5], "valid until");
  const iat = f[6] === null ? undefined : nbf + decodeSeconds(f[6], "issued at");
  const revUrl = profile.statusUrl.decode(f[16], iss, "revocation", "revocation list");
  const derived = SUSPENSION_FROM_REVOCATION(revUrl);
  const susUrl = f[17] === null ? (derived ?? fail("suspension list")) : profile.statusUrl.decode(f[17], iss, "suspension", "suspension list");
  if (f[17] !== null && derived === susUrl) fail("suspension list: not canonical");
  const index = String(readInt(f[18], "status index", 0, 2 ** 31 - 1));
  const servicePoints =
    f[15] === null ? undefined : readArray(f[15], "service points", 1, 16).map((x) => readString(x, "service point"));
  const redemption = f[13] === 0 ? "single" : f[13] === 1 ? "partial" : fail("redemption");
  const programme = profile.programme.decode(f[9], f[10], refs.programmes);
  const jti = profile.id.decode(f[3], "credential id");
  const card = { id: jti, statusEntry: statusEntryOf(revUrl, index) };
  const subject: EntitlementSubject = {
    beneficiary: profile.beneficiary.decode(f[7], "beneficiary"),
    name: f[8] === null ? undefined : profile.name.decode(f[8], "name"),
    programme,
    cycle: readString(f[11], "cycle"),
    benefit: decodeBenefit(f[12], profile),
    redemption,
    area: f[14] === null ? undefined : profile.area.decode(f[14], "area"),
    servicePoints,
    ...(f.length > CREDENTIAL_FIELD_COUNT ? { idBinding: decodeBinding(f[CREDENTIAL_FIELD_COUNT], programme.id, card) } : {}),
  };
  const status = [entry("revocation", revUrl, index), entry("suspension", susUrl, index)];
  const type = ["VerifiableCredential", ENTITLEMENT_CREDENTIAL_TYPE];
  if (variant.format === "vc2") {
    if (iat !== undefined) fail("issued at: not in VC 2.0");
    const payload = serializeEntitlementCredentialV2({
      "@context": [...VC2_CONTEXTS],
      id: jti,
      type,
      issuer: iss,
      validFrom: toDateTimeStamp(new Date(nbf * 1000)),
      validUntil: toDateTimeStamp(new Date(exp * 1000)),
      credentialSchema: { id: ENTITLEMENT_SCHEMA_V2, type: "JsonSchema" },
      credentialSubject: { id: sub, ...subject },
      credentialStatus: status,
    });
    return { header: joseHeader(kid, JOSE_TYPES.vc2.credential), payload, holder: sub };
  }
  const payload = serializeEntitlementPayload({
    iss,
    sub,
    jti,
    nbf,
    exp,
    iat,
    vc: {
      "@context": [...(variant.legacyContexts ? LEGACY_VC1_CONTEXTS : VC1_CONTEXTS)],
      type,
      credentialSchema: { id: ENTITLEMENT_SCHEMA_V1, type: "JsonSchema" },
      credentialSubject: subject,
      credentialStatus: status,
    },
  });
  return { header: joseHeader(kid), payload, holder: sub };
}
