/**
 * The entitlement credential model: what a service point needs to honour one beneficiary's
 * entitlement in one cycle, and nothing more.
 *
 * Field names follow OpenSPP / OpenG2P entitlements (programme, cycle, valid_from/valid_until,
 * cash amount + currency, in-kind product/quantity/unit, service point) and the DCI IBR "Benefit"
 * vocabulary (benefit_type Cash / In-kind / Voucher, benefit_value, benefit_quantity).
 *
 * The credential is a W3C VC Data Model 1.1 credential in JWT form (VC-JWT, OpenID4VCI format
 * `jwt_vc_json`): `iss` is the issuer DID, `sub` the holder DID, `nbf`/`exp` the entitlement's
 * valid-from/valid-until, and `vc` the credential body without the fields JWT claims carry.
 */
import * as z from "zod";
import { IdBinding } from "@haki/id-binding/model";

export const W3C_CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1";
/** VC Data Model 2.0 base context (it defines the Bitstring Status List and JsonSchema terms itself). */
export const W3C_CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2";
/**
 * Bitstring Status List context for VC 1.1 credentials: libraries such as digitalbazaar's read a
 * status entry only when the credential names it (VC 2.0 builds it into its base context).
 */
export const W3C_STATUS_CONTEXT_V1 = "https://www.w3.org/ns/credentials/status/v1";
/** Stable URL of Haki's JSON-LD context; the issuer serves a copy, verifiers bundle one. */
export const ENTITLEMENT_CONTEXT_V1 = "https://w3id.org/haki/entitlement/v1";
/** Haki's context for VC 2.0 credentials: the same terms, minus those the v2 base context defines. */
export const ENTITLEMENT_CONTEXT_V2 = "https://w3id.org/haki/entitlement/v2";
/** Stable URL of the JSON Schema of the entitlement credential. */
export const ENTITLEMENT_SCHEMA_V1 = "https://w3id.org/haki/entitlement/v1/schema.json";
/** JSON Schema of the VC 2.0 credential (the whole `vc+jwt` claims set). */
export const ENTITLEMENT_SCHEMA_V2 = "https://w3id.org/haki/entitlement/v2/schema.json";

/**
 * How a credential is secured: `vc1` is VC Data Model 1.1 as a VC-JWT (`typ: JWT`, a `vc` claim,
 * the cards already in people's hands); `vc2` is VC Data Model 2.0 secured with VC-JOSE-COSE
 * (`typ: vc+jwt`, the credential itself as the claims set). Both are OpenID4VCI `jwt_vc_json`.
 */
export const JWT_CREDENTIAL_FORMATS = ["vc1", "vc2"] as const;
export type JwtCredentialFormat = (typeof JWT_CREDENTIAL_FORMATS)[number];
/** JOSE `typ` of each format's credentials and presentations. */
export const JOSE_TYPES = {
  vc1: { credential: "JWT", presentation: "JWT" },
  vc2: { credential: "vc+jwt", presentation: "vp+jwt" },
} as const satisfies Record<JwtCredentialFormat, { credential: string; presentation: string }>;
export const ENTITLEMENT_CREDENTIAL_TYPE = "EntitlementCredential";
export const STATUS_ENTRY_TYPE = "BitstringStatusListEntry";

/** ISO 4217 alphabetic code. */
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, "ISO 4217 currency code, e.g. KES");

/** A DID that can hold a key a phone generated: did:key (Ed25519) or did:jwk. */
export const HolderDid = z
  .string()
  .regex(/^did:(key:z[1-9A-HJ-NP-Za-km-z]+|jwk:[A-Za-z0-9_-]+)$/, "did:key or did:jwk");

/** An issuer DID: did:web for production, did:key for local use. */
export const IssuerDid = z
  .string()
  .regex(/^did:(web:[A-Za-z0-9.%:_-]+|key:z[1-9A-HJ-NP-Za-km-z]+)$/, "did:web or did:key");

/**
 * A pseudonymous beneficiary reference, issued by the programme (never a national ID number).
 * Short, opaque and URL-safe so it fits a QR code.
 */
export const BeneficiaryRef = z
  .string()
  .regex(/^[A-Za-z0-9_-]{4,40}$/, "pseudonymous reference: 4-40 letters, digits, - or _");

const ShortId = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, "identifier: letters, digits, . _ : -");
const Label = z.string().trim().min(1).max(120);

/** Cash: DCI benefit_type "Cash"; OpenSPP initial_amount + currency. */
export const CashBenefit = z.strictObject({
  type: z.literal("Cash"),
  amount: z.number().positive().multipleOf(0.01).max(1e12),
  currency: CurrencyCode,
});
/** In-kind: DCI benefit_type "In-kind"; OpenSPP product + quantity + unit (UN/CEFACT-ish short units). */
export const InKindBenefit = z.strictObject({
  type: z.literal("InKind"),
  item: Label,
  quantity: z.number().positive().max(1e9),
  unit: z.string().trim().min(1).max(16),
});
/** Voucher: DCI benefit_type "Voucher"; a value (with currency) or an item, with a description. */
export const VoucherBenefit = z.strictObject({
  type: z.literal("Voucher"),
  description: Label,
  amount: z.number().positive().multipleOf(0.01).max(1e12).optional(),
  currency: CurrencyCode.optional(),
}).refine((v) => (v.amount === undefined) === (v.currency === undefined), {
  message: "a voucher value needs both amount and currency",
  path: ["currency"],
});
export const Benefit = z.discriminatedUnion("type", [CashBenefit, InKindBenefit, VoucherBenefit]);
export type Benefit = z.infer<typeof Benefit>;

export const RedemptionMode = z.enum(["single", "partial"]);
export type RedemptionMode = z.infer<typeof RedemptionMode>;

/**
 * The credentialSubject of an entitlement credential (as it appears inside `vc`; the holder DID,
 * when there is one, is the JWT `sub`). Strict: a subject with any other member (a national ID,
 * a phone number) is refused, by the issuer and by every verifier.
 */
export const EntitlementSubject = z.strictObject({
  /** Pseudonymous beneficiary reference (OpenSPP partner, never a national ID). */
  beneficiary: BeneficiaryRef,
  /** Optional display name for a visual check at the counter. */
  name: z.string().trim().min(1).max(80).optional(),
  /** Programme id and name (OpenSPP program). */
  programme: z.strictObject({ id: ShortId, name: Label }),
  /** Cycle id, e.g. "2027-03" (OpenSPP cycle). */
  cycle: ShortId,
  benefit: Benefit,
  /** single: one hand-over; partial: several hand-overs until the balance is used. */
  redemption: RedemptionMode,
  /** Administrative area code where the benefit may be received (e.g. "KE-047"). */
  area: ShortId.optional(),
  /** Service point ids allowed to hand the benefit over; absent means any in the area. */
  servicePoints: z.array(ShortId).min(1).max(16).optional(),
  /**
   * For a programme that binds paper cards to the holder's national ID: the binding
   * (`@haki/id-binding`), a keyed, memory-hard value that reveals no ID number. Never the ID itself.
   */
  idBinding: IdBinding.optional(),
});
export type EntitlementSubject = z.infer<typeof EntitlementSubject>;

export const StatusPurpose = z.enum(["revocation", "suspension"]);
export type StatusPurpose = z.infer<typeof StatusPurpose>;

/** W3C Bitstring Status List entry. */
export const BitstringStatusListEntry = z.object({
  id: z.string().url(),
  type: z.literal(STATUS_ENTRY_TYPE),
  statusPurpose: StatusPurpose,
  statusListIndex: z.string().regex(/^(0|[1-9][0-9]{0,9})$/),
  statusListCredential: z.string().url(),
});
export type BitstringStatusListEntry = z.infer<typeof BitstringStatusListEntry>;

/** An `@context` list that starts with a W3C base context and names Haki's context of that version. */
const contextList = (base: string, haki: string, what: string) =>
  z.array(z.string()).refine((c) => c[0] === base && c.includes(haki), { message: `must start with the W3C credentials ${what} context and include Haki's ${what} context` });

/** The `vc` claim of an entitlement VC-JWT. */
export const EntitlementVcClaim = z.object({
  "@context": contextList(W3C_CREDENTIALS_V1, ENTITLEMENT_CONTEXT_V1, "v1"),
  type: z
    .array(z.string())
    .refine((t) => t.includes("VerifiableCredential") && t.includes(ENTITLEMENT_CREDENTIAL_TYPE), {
      message: "must be VerifiableCredential and EntitlementCredential",
    }),
  credentialSchema: z.object({ id: z.string().url(), type: z.literal("JsonSchema") }).optional(),
  credentialSubject: EntitlementSubject,
  credentialStatus: z
    .array(BitstringStatusListEntry)
    .length(2)
    .refine((s) => s.some((e) => e.statusPurpose === "revocation") && s.some((e) => e.statusPurpose === "suspension"), {
      message: "needs one revocation and one suspension entry",
    }),
});
export type EntitlementVcClaim = z.infer<typeof EntitlementVcClaim>;

/** The JWT payload of an entitlement credential. */
export const EntitlementJwtPayload = z.object({
  iss: IssuerDid,
  /** Holder DID; absent for paper-card credentials that rely on a visual check. */
  sub: HolderDid.optional(),
  /** Optional credential id (URI). */
  jti: z.string().min(1).max(200).optional(),
  /** Valid from (seconds since epoch); VC-JWT maps it to issuanceDate. */
  nbf: z.number().int().nonnegative(),
  /** Valid until (seconds since epoch); VC-JWT maps it to expirationDate. */
  exp: z.number().int().positive(),
  iat: z.number().int().nonnegative().optional(),
  vc: EntitlementVcClaim,
});
export type EntitlementJwtPayload = z.infer<typeof EntitlementJwtPayload>;

/**
 * An XML Schema dateTimeStamp as Haki writes it and as VC 2.0 asks for it: a time zone is
 * required (Z or an offset); fractions of a second are allowed when reading.
 */
export const DateTimeStamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/, "date-time with a time zone, e.g. 2027-03-01T00:00:00Z")
  .refine(isCalendarDateTime, "not a real date and time");

/** RFC 3339 ranges (month, day of that month, hour, minute, second, offset), as JSON Schema's date-time checks them. */
function isCalendarDateTime(v: string): boolean {
  const [y, mo, d, h, mi, se] = [0, 5, 8, 11, 14, 17].map((at, i) => Number(v.slice(at, at + (i === 0 ? 4 : 2)))) as [number, number, number, number, number, number];
  const zone = /(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(v);
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  const offsetOk = !zone?.[1] || (Number(zone[2]) < 24 && Number(zone[3]) < 60);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h < 24 && mi < 60 && se < 60 && offsetOk;
}

/** The credentialSubject of a VC 2.0 entitlement: the same strict subject, with the holder as `id`. */
export const EntitlementSubjectV2 = EntitlementSubject.extend({ id: HolderDid.optional() });
export type EntitlementSubjectV2 = z.infer<typeof EntitlementSubjectV2>;

/**
 * A VC Data Model 2.0 entitlement credential: the claims set of a `vc+jwt` (VC-JOSE-COSE), no `vc`
 * claim; `issuer` a DID (or `{ id }`), `validFrom`/`validUntil` required (an entitlement always
 * has a period), two `BitstringStatusListEntry`.
 */
export const EntitlementCredentialV2 = z.object({
  "@context": contextList(W3C_CREDENTIALS_V2, ENTITLEMENT_CONTEXT_V2, "v2"),
  id: z.string().min(1).max(200).optional(),
  type: EntitlementVcClaim.shape.type,
  issuer: z.union([IssuerDid, z.object({ id: IssuerDid }).loose()]),
  validFrom: DateTimeStamp,
  validUntil: DateTimeStamp,
  credentialSchema: z.object({ id: z.string().url(), type: z.literal("JsonSchema") }).optional(),
  credentialSubject: EntitlementSubjectV2,
  credentialStatus: EntitlementVcClaim.shape.credentialStatus,
  vc: z.never().optional(),
  vp: z.never().optional(),
});
export type EntitlementCredentialV2 = z.infer<typeof EntitlementCredentialV2>;

/** What an issuer supplies to create one entitlement credential. */
export const EntitlementInput = z
  .object({
    issuer: IssuerDid,
    holder: HolderDid.optional(),
    id: z.string().min(1).max(200).optional(),
    subject: EntitlementSubject,
    validFrom: z.coerce.date(),
    validUntil: z.coerce.date(),
    status: z.object({
      /** URL of the revocation status list credential. */
      revocationList: z.string().url(),
      /** URL of the suspension status list credential. */
      suspensionList: z.string().url(),
      /** Index of this credential in both lists (Haki pairs the two lists index for index). */
      index: z.number().int().nonnegative().max(2 ** 31 - 1),
    }),
  })
  .refine((i) => i.validUntil.getTime() > i.validFrom.getTime(), {
    message: "validUntil must be after validFrom",
    path: ["validUntil"],
  });
export type EntitlementInput = z.input<typeof EntitlementInput>;
