/**
 * Credential formats behind one interface, so the protocol code does not care what is presented.
 * `jwt_vc_json` (Haki's VC-JWT) is in `./jwt-vc-json`; `dc+sd-jwt` (SD-JWT VC, which can disclose
 * only the claims asked for) in `./dc-sd-jwt`.
 */
import type { DcqlCredential, DcqlCredentialPresentation } from "dcql";

/** A DCQL claims path pointer: object keys, array indexes, `null` for "every element". */
export type ClaimPath = Array<string | number | null>;

/** A credential the wallet holds, as stored. */
export interface HeldCredential {
  /** The wallet's own id for it. */
  id: string;
  /** OpenID4VP Credential Format Identifier: `jwt_vc_json`, `dc+sd-jwt`, ... */
  format: string;
  /** The credential as issued (a compact JWT, an SD-JWT with all disclosures, ...). */
  credential: string;
}

/** One claim that would reach the verifier, with its value. */
export interface DisclosedClaim {
  path: ClaimPath;
  value: unknown;
}

/** The wallet side of a format. */
export interface WalletFormat {
  format: string;
  /** The credential as DCQL sees it (type, claims, holder binding), for matching a query. */
  toDcqlCredential(held: HeldCredential): DcqlCredential;
  /**
   * Every claim the verifier would see if this credential answered a query asking for `requested`
   * (undefined: the query named no claims). A format that cannot disclose selectively returns all.
   */
  disclosedClaims(held: HeldCredential, requested: ClaimPath[] | undefined): DisclosedClaim[];
  /** Whether `disclosedClaims` can be narrower than the whole credential. */
  selectiveDisclosure: boolean;
  /** Builds the presentation for the verifier: bound to its nonce and client id. */
  present(held: HeldCredential, args: { requested: ClaimPath[] | undefined; nonce: string; audience: string }): Promise<string | Record<string, unknown>>;
}

/** What a verified presentation gives the verifier. */
export interface VerifiedPresentation {
  /** The presentation in DCQL's form, to check it answers the query. */
  dcql: DcqlCredentialPresentation;
  /** Who issued the credential (its DID or URL, and the name the trust list gives it). */
  issuer: { id: string; name?: string };
  /** The format's own verification result (for Haki VC-JWTs: `@haki/credentials`' result). */
  result: unknown;
}

/** The verifier side of a format. Throws an `Openid4vpError` (`ERR_VP_PRESENTATION_INVALID`) when the presentation fails. */
export interface VerifierFormat {
  format: string;
  verify(presentation: string | Record<string, unknown>, ctx: { nonce: string; audience: string; now?: Date }): Promise<VerifiedPresentation>;
}

/** Every leaf of a JSON value, as claims path pointers. */
export function leafClaims(value: unknown, prefix: ClaimPath = []): DisclosedClaim[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafClaims(v, [...prefix, i]));
  if (typeof value === "object" && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => leafClaims(v, [...prefix, k]));
  }
  return [{ path: prefix, value }];
}
