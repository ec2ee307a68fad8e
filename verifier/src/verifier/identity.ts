/**
 * A national ID card's QR code (MOSIP Claim 169) checked at the counter, offline, against the
 * national ID authorities the trust bundle carries: the person's name, date of birth and photo for
 * the visual check, or the reason in plain words (expired, not yet valid, unknown authority,
 * encrypted, not genuine, unreadable). Never throws.
 */
import { decodeClaim169 } from "@haki/claim169/decode";
import { Claim169Error, type Claim169ErrorCode } from "@haki/claim169/errors";
import type { DecodedClaim169 } from "@haki/claim169/decode";
import { verifyClaim169 } from "@haki/claim169/verify";
import type { IdentityFacts } from "@haki/id-binding/model";
import type { TrustBundle } from "@haki/redemption/trust-bundle";

/** The reasons the counter tells apart; each is a key under `identity.reason` in the verifier's words. */
export const IDENTITY_REASONS = ["expired", "notYetValid", "untrusted", "notGenuine", "encrypted", "unsupported", "unreadable"] as const;
export type IdentityReason = (typeof IDENTITY_REASONS)[number];

/** What the operator compares with the person: never the raw CBOR. */
export interface IdentityView {
  fullName?: string;
  /** ISO `YYYY-MM-DD` when a real date, else as written on the card. */
  dateOfBirth?: string;
  gender?: "male" | "female" | "other";
  /** A `data:` URL of the photograph, when the card has one in a format a browser shows. */
  photo?: string;
  /** The authority that signed it, by its name in the trust bundle. */
  authority: string;
}

export type IdentityCheck =
  | { valid: true; view: IdentityView; facts: IdentityFacts }
  | { valid: false; code: Claim169ErrorCode; reason: IdentityReason; details: Record<string, string>; fullName?: string };

const REASON: Partial<Record<Claim169ErrorCode, IdentityReason>> = {
  ERR_CLAIM169_EXPIRED: "expired",
  ERR_CLAIM169_NOT_YET_VALID: "notYetValid",
  ERR_CLAIM169_ISSUER_UNTRUSTED: "untrusted",
  ERR_CLAIM169_TRUST_LIST_INVALID: "untrusted",
  ERR_CLAIM169_SIGNATURE_INVALID: "notGenuine",
  ERR_CLAIM169_ALG_MISSING: "notGenuine",
  ERR_CLAIM169_CRITICAL_HEADER: "unsupported",
  ERR_CLAIM169_ALG_UNSUPPORTED: "unsupported",
  ERR_CLAIM169_EXPIRY_REQUIRED: "unsupported",
  ERR_CLAIM169_ENCRYPTED: "encrypted",
};

const day = (d: Date | undefined) => (d ? d.toISOString().slice(0, 10) : "");

function photoUrl(photo: { data: Uint8Array; mediaType?: string } | undefined): string | undefined {
  if (!photo?.mediaType || !/^image\/(jpeg|png|webp|avif|gif)$/.test(photo.mediaType)) return undefined;
  let binary = "";
  for (const b of photo.data) binary += String.fromCharCode(b);
  return `data:${photo.mediaType};base64,${btoa(binary)}`;
}

function refused(code: Claim169ErrorCode, decoded: DecodedClaim169 | undefined): IdentityCheck {
  const reason = REASON[code] ?? "unreadable";
  const details: Record<string, string> = {};
  if (reason === "expired") details.date = day(decoded?.cwt.expiresAt);
  if (reason === "notYetValid") details.date = day(decoded?.cwt.notBefore);
  const fullName = decoded?.identity.fullName;
  return { valid: false, code, reason, details, ...(fullName ? { fullName } : {}) };
}

/**
 * Reads and verifies a scanned Claim 169 QR text against the bundle's identity issuers.
 *
 * @example
 * const id = await checkIdentityText(text, stored.bundle, new Date());
 * if (id.valid) show(id.view.fullName, id.view.dateOfBirth, id.view.photo);
 */
export async function checkIdentityText(text: string, bundle: TrustBundle | undefined, now: Date): Promise<IdentityCheck> {
  let decoded: DecodedClaim169 | undefined;
  try {
    decoded = await decodeClaim169(text.trim());
    const id = await verifyClaim169(decoded, { identityIssuers: bundle?.identityIssuers ?? [] }, { now });
    const i = id.identity;
    const dateOfBirth = i.birthDate ?? i.dateOfBirth;
    const photo = photoUrl(i.photo);
    return {
      valid: true,
      view: {
        ...(i.fullName ? { fullName: i.fullName } : {}),
        ...(dateOfBirth ? { dateOfBirth } : {}),
        ...(i.gender ? { gender: i.gender } : {}),
        ...(photo ? { photo } : {}),
        authority: id.issuer.name,
      },
      facts: { ...(i.id ? { id: i.id } : {}), ...(i.birthDate ? { birthDate: i.birthDate } : {}) },
    };
  } catch (e) {
    return refused(e instanceof Claim169Error ? e.code : "ERR_CLAIM169_MALFORMED", decoded);
  }
}
