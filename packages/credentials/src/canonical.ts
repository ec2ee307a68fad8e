/**
 * The canonical JSON form of an entitlement credential's JWT payload.
 *
 * Haki fixes the byte form of the payload at signing time: keys in one order, no whitespace,
 * derived fields (status entry ids, contexts, schema) built by one rule. A compact QR codec can then
 * carry only the information and rebuild exactly the bytes that were signed, so the original
 * signature verifies with any JWT library. Payloads built elsewhere (other key orders, extra
 * claims) are still valid credentials; they just do not round-trip through the compact form.
 */
import {
  ENTITLEMENT_CONTEXT_V1,
  ENTITLEMENT_CONTEXT_V2,
  ENTITLEMENT_CREDENTIAL_TYPE,
  ENTITLEMENT_SCHEMA_V1,
  ENTITLEMENT_SCHEMA_V2,
  EntitlementInput,
  STATUS_ENTRY_TYPE,
  W3C_CREDENTIALS_V1,
  W3C_CREDENTIALS_V2,
  W3C_STATUS_CONTEXT_V1,
  type Benefit,
  type EntitlementCredentialV2,
  type BitstringStatusListEntry,
  type EntitlementJwtPayload,
  type EntitlementSubject,
  type StatusPurpose,
} from "./model";
import { inKeyOrder } from "./lib/key-order";

/** Status entry id rule: `<status list credential URL>#<index>`. */
export function statusEntryId(listUrl: string, index: number | string): string {
  return `${listUrl}#${index}`;
}

/**
 * The `@context` of the VC 1.1 credentials Haki issues: the status context sits before Haki's so
 * that status-aware libraries read the entries (Haki's context defines the entry terms
 * identically). Cards issued before it came (`LEGACY_VC1_CONTEXTS`) still verify and round-trip.
 */
export const VC1_CONTEXTS: readonly string[] = [W3C_CREDENTIALS_V1, W3C_STATUS_CONTEXT_V1, ENTITLEMENT_CONTEXT_V1];
/** The `@context` of VC 1.1 cards issued before the status context was added. */
export const LEGACY_VC1_CONTEXTS: readonly string[] = [W3C_CREDENTIALS_V1, ENTITLEMENT_CONTEXT_V1];
/** The `@context` of the VC 2.0 credentials Haki issues. */
export const VC2_CONTEXTS: readonly string[] = [W3C_CREDENTIALS_V2, ENTITLEMENT_CONTEXT_V2];

function statusEntry(purpose: StatusPurpose, listUrl: string, index: number): BitstringStatusListEntry {
  return {
    id: statusEntryId(listUrl, index),
    type: STATUS_ENTRY_TYPE,
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: listUrl,
  };
}

const toSeconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/**
 * Builds the JWT payload of an entitlement credential from validated input, in canonical order.
 *
 * @example
 * const payload = buildEntitlementPayload({ issuer, holder, subject, validFrom, validUntil,
 *   status: { revocationList, suspensionList, index: 7 } });
 */
export function buildEntitlementPayload(input: EntitlementInput): EntitlementJwtPayload {
  const i = EntitlementInput.parse(input);
  return canonicalizePayload({
    iss: i.issuer,
    sub: i.holder,
    jti: i.id,
    nbf: toSeconds(i.validFrom),
    exp: toSeconds(i.validUntil),
    vc: {
      "@context": [...VC1_CONTEXTS],
      type: ["VerifiableCredential", ENTITLEMENT_CREDENTIAL_TYPE],
      credentialSchema: { id: ENTITLEMENT_SCHEMA_V1, type: "JsonSchema" },
      credentialSubject: i.subject,
      credentialStatus: [
        statusEntry("revocation", i.status.revocationList, i.status.index),
        statusEntry("suspension", i.status.suspensionList, i.status.index),
      ],
    },
  });
}

function canonicalBenefit(b: Benefit): Benefit {
  switch (b.type) {
    case "Cash":
      return { type: b.type, amount: b.amount, currency: b.currency };
    case "InKind":
      return { type: b.type, item: b.item, quantity: b.quantity, unit: b.unit };
    case "Voucher":
      return { type: b.type, description: b.description, amount: b.amount, currency: b.currency };
  }
}

function canonicalSubject(s: EntitlementSubject): EntitlementSubject {
  return {
    beneficiary: s.beneficiary,
    name: s.name,
    programme: { id: s.programme.id, name: s.programme.name },
    cycle: s.cycle,
    benefit: canonicalBenefit(s.benefit),
    redemption: s.redemption,
    area: s.area,
    servicePoints: s.servicePoints ? [...s.servicePoints] : undefined,
    idBinding: s.idBinding ? inKeyOrder(s.idBinding, ["v", "kid", "fields", "logN", "r", "p", "salt", "mac"]) : undefined,
  };
}

function canonicalEntry(e: BitstringStatusListEntry): BitstringStatusListEntry {
  return inKeyOrder(e, ["id", "type", "statusPurpose", "statusListIndex", "statusListCredential"]);
}

/**
 * Rebuilds a payload with its keys in canonical order (unknown keys are dropped, undefined ones
 * omitted by JSON). Pure; does not validate.
 */
export function canonicalizePayload(p: EntitlementJwtPayload): EntitlementJwtPayload {
  return {
    ...inKeyOrder(p, ["iss", "sub", "jti", "nbf", "exp", "iat"]),
    vc: {
      "@context": [...p.vc["@context"]],
      type: [...p.vc.type],
      credentialSchema: p.vc.credentialSchema
        ? { id: p.vc.credentialSchema.id, type: p.vc.credentialSchema.type }
        : undefined,
      credentialSubject: canonicalSubject(p.vc.credentialSubject),
      credentialStatus: p.vc.credentialStatus.map(canonicalEntry),
    },
  };
}

/**
 * The exact JSON text Haki signs for a payload. `JSON.stringify` of the canonical object: no
 * whitespace, non-ASCII kept as UTF-8, numbers in ECMAScript's shortest form.
 *
 * @example
 * const json = serializeEntitlementPayload(payload); // bytes that go into the JWS payload
 */
export function serializeEntitlementPayload(p: EntitlementJwtPayload): string {
  return JSON.stringify(canonicalizePayload(p));
}

/** What changes from one credential of a cycle to the next; the rest of the payload is fixed. */
export interface EntitlementPayloadFields {
  /** `jti` (VC 1.1) or `id` (VC 2.0), the credential id. */
  id: string;
  beneficiary: string;
  /** Omitted from the payload when undefined, as in `buildEntitlementPayload`. */
  name?: string;
  area?: string;
  revocationList: string;
  suspensionList: string;
  /** The status list index, shared by both entries. */
  index: number;
  /**
   * The holder DID (`sub` in VC 1.1, `credentialSubject.id` in VC 2.0). Undefined: the base's
   * holder, or none when the base has none (a paper card).
   */
  holder?: string;
}

const SLOT = /"\\u0000([a-z]+)\\u0000"/g;
const slot = (name: string) => `\u0000${name}\u0000`;

interface Template {
  parts: string[];
  slots: string[];
}

/** Cuts a serialization with slot markers into fixed text and slot names (in order). */
function cutTemplate(json: string, expectedSlots: number, what: string): Template {
  const parts: string[] = [];
  const slots: string[] = [];
  let at = 0;
  for (const m of json.matchAll(SLOT)) {
    parts.push(json.slice(at, m.index));
    slots.push(m[1]!);
    at = m.index + m[0].length;
  }
  parts.push(json.slice(at));
  // A fixed field that happens to look like a slot would shift the rest: refuse rather than mis-sign.
  if (slots.length !== expectedSlots) throw new TypeError(`${what}: the base contains a reserved marker`);
  return { parts, slots };
}

function statusPair(entries: readonly BitstringStatusListEntry[], what: string): [BitstringStatusListEntry, BitstringStatusListEntry] {
  const [rev, sus, ...more] = entries;
  if (!rev || !sus || more.length > 0 || rev.statusPurpose !== "revocation" || sus.statusPurpose !== "suspension")
    throw new TypeError(`${what}: the base needs one revocation and one suspension entry, in that order`);
  return [rev, sus];
}

const slottedStatus = (rev: BitstringStatusListEntry, sus: BitstringStatusListEntry): BitstringStatusListEntry[] => [
  { ...rev, id: slot("revid"), statusListIndex: slot("index"), statusListCredential: slot("revlist") },
  { ...sus, id: slot("susid"), statusListIndex: slot("index"), statusListCredential: slot("suslist") },
];

/**
 * The fast serializer shared by both formats: `serialize(hasName, hasArea)` gives the base's text
 * with slot markers; it is cut once per variant and each call joins the fixed text with the JSON of
 * the fields that change.
 */
function compileTemplates(
  serialize: (hasName: boolean, hasArea: boolean, hasHolder: boolean) => string,
  what: string,
): (fields: EntitlementPayloadFields) => string {
  const variants = new Map<string, Template>();
  return (f) => {
    const hasName = f.name !== undefined;
    const hasArea = f.area !== undefined;
    const hasHolder = f.holder !== undefined;
    const k = `${+hasName}${+hasArea}${+hasHolder}`;
    let v = variants.get(k);
    if (!v) variants.set(k, (v = cutTemplate(serialize(hasName, hasArea, hasHolder), 8 + +hasName + +hasArea + +hasHolder, what)));
    const index = String(f.index);
    const values: Record<string, string> = {
      id: f.id,
      beneficiary: f.beneficiary,
      name: f.name ?? "",
      area: f.area ?? "",
      revid: statusEntryId(f.revocationList, index),
      revlist: f.revocationList,
      susid: statusEntryId(f.suspensionList, index),
      suslist: f.suspensionList,
      index,
      holder: f.holder ?? "",
    };
    let out = v.parts[0]!;
    for (let i = 0; i < v.slots.length; i++) out += JSON.stringify(values[v.slots[i]!]) + v.parts[i + 1]!;
    return out;
  };
}

const slottedSubject = <S extends EntitlementSubject>(s: S, hasName: boolean, hasArea: boolean): S => ({
  ...s,
  beneficiary: slot("beneficiary"),
  name: hasName ? slot("name") : undefined,
  area: hasArea ? slot("area") : undefined,
});

/**
 * Compiles the canonical serializer for payloads that differ from `base` only in the fields of
 * `EntitlementPayloadFields`: the fixed text is serialized once and each call only joins it with
 * the JSON of the few fields that change. The output is exactly
 * `serializeEntitlementPayload` of the payload with those fields set (a property test checks it),
 * at a fraction of the cost when a million credentials of one cycle are signed.
 *
 * @example
 * const toJson = compileEntitlementPayload(buildEntitlementPayload(firstInput));
 * const json = toJson({ id: "urn:uuid:...", beneficiary: "HK-B0000042", revocationList, suspensionList, index: 42 });
 */
export function compileEntitlementPayload(base: EntitlementJwtPayload): (fields: EntitlementPayloadFields) => string {
  const what = "compileEntitlementPayload";
  const [rev, sus] = statusPair(base.vc.credentialStatus, what);
  return compileTemplates(
    (hasName, hasArea, hasHolder) =>
      serializeEntitlementPayload({
        ...base,
        ...(hasHolder ? { sub: slot("holder") } : {}),
        jti: slot("id"),
        vc: { ...base.vc, credentialSubject: slottedSubject(base.vc.credentialSubject, hasName, hasArea), credentialStatus: slottedStatus(rev, sus) },
      }),
    what,
  );
}

/** A VC 2.0 time: ISO 8601 in UTC to the second, as VC 2.0 examples write it ("2027-03-01T00:00:00Z"). */
export function toDateTimeStamp(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

/**
 * Builds the VC Data Model 2.0 form of an entitlement (the claims set of its `vc+jwt`), in
 * canonical order: the holder is `credentialSubject.id`, the period `validFrom`/`validUntil`.
 *
 * @example
 * const credential = buildEntitlementCredentialV2({ issuer, holder, subject, validFrom, validUntil,
 *   status: { revocationList, suspensionList, index: 7 } });
 */
export function buildEntitlementCredentialV2(input: EntitlementInput): EntitlementCredentialV2 {
  const i = EntitlementInput.parse(input);
  return canonicalizeCredentialV2({
    "@context": [...VC2_CONTEXTS],
    id: i.id,
    type: ["VerifiableCredential", ENTITLEMENT_CREDENTIAL_TYPE],
    issuer: i.issuer,
    validFrom: toDateTimeStamp(i.validFrom),
    validUntil: toDateTimeStamp(i.validUntil),
    credentialSchema: { id: ENTITLEMENT_SCHEMA_V2, type: "JsonSchema" },
    credentialSubject: { id: i.holder, ...i.subject },
    credentialStatus: [
      statusEntry("revocation", i.status.revocationList, i.status.index),
      statusEntry("suspension", i.status.suspensionList, i.status.index),
    ],
  });
}

/**
 * Rebuilds a VC 2.0 credential with its members in canonical order (unknown members dropped,
 * undefined ones omitted by JSON). Pure; does not validate.
 *
 * @example
 * const text = JSON.stringify(canonicalizeCredentialV2(decoded));
 */
export function canonicalizeCredentialV2(c: EntitlementCredentialV2): EntitlementCredentialV2 {
  return {
    "@context": [...c["@context"]],
    id: c.id,
    type: [...c.type],
    issuer: typeof c.issuer === "string" ? c.issuer : { ...c.issuer },
    validFrom: c.validFrom,
    validUntil: c.validUntil,
    credentialSchema: c.credentialSchema ? { id: c.credentialSchema.id, type: c.credentialSchema.type } : undefined,
    credentialSubject: { id: c.credentialSubject.id, ...canonicalSubject(c.credentialSubject) },
    credentialStatus: c.credentialStatus.map(canonicalEntry),
  };
}

/**
 * The exact JSON text Haki signs as the claims set of a `vc+jwt`.
 *
 * @example
 * const json = serializeEntitlementCredentialV2(buildEntitlementCredentialV2(input));
 */
export function serializeEntitlementCredentialV2(c: EntitlementCredentialV2): string {
  return JSON.stringify(canonicalizeCredentialV2(c));
}

/**
 * `compileEntitlementPayload` for VC 2.0: the text of `serializeEntitlementCredentialV2` for
 * credentials that differ from `base` only in `EntitlementPayloadFields` (`id` is the credential's
 * `id`). Byte for byte the plain serializer's output (property-tested).
 *
 * @example
 * const toJson = compileEntitlementCredentialV2(buildEntitlementCredentialV2(firstInput));
 */
export function compileEntitlementCredentialV2(base: EntitlementCredentialV2): (fields: EntitlementPayloadFields) => string {
  const what = "compileEntitlementCredentialV2";
  const [rev, sus] = statusPair(base.credentialStatus, what);
  return compileTemplates(
    (hasName, hasArea, hasHolder) =>
      serializeEntitlementCredentialV2({
        ...base,
        id: slot("id"),
        credentialSubject: { ...slottedSubject(base.credentialSubject, hasName, hasArea), ...(hasHolder ? { id: slot("holder") } : {}) },
        credentialStatus: slottedStatus(rev, sus),
      }),
    what,
  );
}
