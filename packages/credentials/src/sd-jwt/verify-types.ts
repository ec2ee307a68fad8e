/** What `verifySdJwtVc` takes and answers. */
import type { SdJwtErrorCode, VerificationErrorCode } from "../errors";
import type { StatusCheck, VerificationFailure } from "../lib/verify-core";
import type { EntitlementSubject } from "../model";
import type { DisclosableClaim } from "./constants";
import type { NonceStore } from "./nonce-store";

/** `(status.status_list) => 0 valid | 1 revoked | 2 suspended | undefined (no fresh list)`, e.g. `createTokenStatusLookup`. */
export type TokenStatusLookup = (reference: { status_list: { idx: number; uri: string } }) => number | undefined;

export interface VerifySdJwtVcOptions {
  now?: Date;
  clockToleranceSeconds?: number;
  /** The audience this verifier expects in the KB-JWT. */
  audience?: string;
  /** The nonce this verifier gave the holder. */
  nonce?: string;
  /** Refuses a nonce used before (ERR_PRESENTATION_REPLAYED). */
  nonceStore?: NonceStore;
  /** Refuse a presentation without KB-JWT (default true; false to read an issued SD-JWT VC). */
  requireKeyBinding?: boolean;
  /** How old a KB-JWT may be, in seconds (default 120). */
  maxAgeSeconds?: number;
  status?: TokenStatusLookup;
  requireStatus?: boolean;
  /** Claims the holder must have disclosed (ERR_SCHEMA_VIOLATION otherwise). */
  requiredClaims?: readonly DisclosableClaim[];
  /** Accepted credential types (default [ENTITLEMENT_VCT]). */
  vct?: readonly string[];
}

/** The entitlement subject as far as it was disclosed. */
export type DisclosedSubject = Partial<EntitlementSubject> & Pick<EntitlementSubject, "beneficiary" | "redemption">;

export interface SdJwtVerificationSuccess {
  valid: true;
  format: "dc+sd-jwt";
  issuer: { did: string; name: string; url: string };
  kid: string;
  subject: DisclosedSubject;
  /** Which selectively disclosable claims the holder showed. */
  disclosed: DisclosableClaim[];
  /** verified: KB-JWT checked; required: an issued SD-JWT VC read without one (`requireKeyBinding: false`). */
  holderBinding: "verified" | "required";
  keyBinding?: { audience: string; nonce: string; createdAt: Date };
  status: StatusCheck;
  validFrom: Date;
  validUntil: Date;
  vct: string;
  /** Every claim after disclosure processing. */
  claims: Record<string, unknown>;
}
export type SdJwtVerificationFailure = VerificationFailure<VerificationErrorCode | SdJwtErrorCode>;
export type SdJwtVerificationResult = SdJwtVerificationSuccess | SdJwtVerificationFailure;
