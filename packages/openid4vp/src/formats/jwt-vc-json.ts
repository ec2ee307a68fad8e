/**
 * `jwt_vc_json`: W3C credentials secured as a JWT (OpenID4VP 1.0 Appendix B.1), in both forms Haki
 * issues: VC Data Model 2.0 `vc+jwt` (VC-JOSE-COSE, the default of new cycles; presented as a
 * `vp+jwt` enveloping it) and VC 1.1 VC-JWTs (cards already in people's hands; presented as a VP-JWT).
 * Either presentation is holder-signed with `nonce` = the request's nonce and `aud` = the verifier's
 * client id. DCQL claim paths read the credential's JSON (`credentialSubject.programme.id`), the
 * same for both forms. A VC-JWT cannot hide any of its claims: the wallet shows that before consent.
 */
import type { SigningKey } from "@haki/credentials/keys";
import { signPresentation, unwrapEnvelopedCredential, verifyPresentation, type VerifyPresentationOptions } from "@haki/credentials/presentation";
import type { TrustList } from "@haki/credentials/trust";
import type { DcqlCredential } from "dcql";
import { decodeJwt } from "jose";
import { Openid4vpError } from "../errors";
import { leafClaims, type HeldCredential, type VerifierFormat, type WalletFormat } from "./adapter";

export const JWT_VC_JSON = "jwt_vc_json";

const iso = (seconds: unknown) => (typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : undefined);

const record = (value: unknown): Record<string, unknown> => (typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** JWT claims a `vc+jwt` may carry beside the credential; they are not part of its JSON (VC-JOSE-COSE). */
const JWT_REGISTERED = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "cnf", "nonce"]);

/** The VC 1.1 JSON form of a VC-JWT's claims: `vc` plus issuer, dates and the subject's id from the JWT claims. */
function claimsV1(payload: Record<string, unknown>): Record<string, unknown> {
  const vc = record(payload.vc);
  return {
    ...vc,
    ...(typeof payload.iss === "string" ? { issuer: payload.iss } : {}),
    ...(iso(payload.nbf) ? { issuanceDate: iso(payload.nbf) } : {}),
    ...(iso(payload.exp) ? { expirationDate: iso(payload.exp) } : {}),
    credentialSubject: { ...(typeof payload.sub === "string" ? { id: payload.sub } : {}), ...record(vc.credentialSubject) },
  };
}

/** A `vc+jwt`'s claims set is the VC 2.0 credential itself. */
function claimsV2(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !JWT_REGISTERED.has(k)));
}

/**
 * The credential's JSON as DCQL reads it, for a VC 1.1 VC-JWT or a VC 2.0 `vc+jwt`: its types, its
 * claims, and whether it names a holder (`credentialSubject.id`).
 *
 * @example
 * credentialClaims(vcJwt).claims.credentialSubject; // { id: "did:key:...", programme: { id: "cash-for-work", ... }, ... }
 */
export function credentialClaims(jwt: string): { type: string[]; claims: Record<string, unknown>; holderBound: boolean } {
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(jwt);
  } catch (cause) {
    throw new Openid4vpError("ERR_VP_FORMAT_UNSUPPORTED", "A stored card is not a readable VC-JWT.", { cause });
  }
  const v1 = "vc" in payload;
  if (!v1 && !("@context" in payload)) throw new Openid4vpError("ERR_VP_FORMAT_UNSUPPORTED", "A stored card is neither a VC 1.1 VC-JWT nor a VC 2.0 vc+jwt.");
  const claims = v1 ? claimsV1(payload) : claimsV2(payload);
  const type = Array.isArray(claims.type) ? claims.type.filter((t): t is string => typeof t === "string") : [];
  return { type, claims, holderBound: typeof record(claims.credentialSubject).id === "string" };
}

/** The credential a presentation carries: a VC 1.1 VP-JWT's `vp.verifiableCredential[0]`, or a VC 2.0 `vp+jwt`'s enveloped `vc+jwt`. */
function presentedCredential(vpJwt: string): string {
  const vp = decodeJwt(vpJwt);
  const carried = Array.isArray(vp.verifiableCredential) ? vp.verifiableCredential : record(vp.vp).verifiableCredential;
  return (Array.isArray(carried) ? unwrapEnvelopedCredential(carried[0]) : undefined) ?? "";
}

function toDcql(jwt: string): DcqlCredential {
  const { type, claims, holderBound } = credentialClaims(jwt);
  return { credential_format: JWT_VC_JSON, type, claims: claims as never, cryptographic_holder_binding: holderBound };
}

/**
 * The wallet side: presents with the holder's key.
 *
 * @example
 * const formats = [jwtVcJsonWallet(holderKey)];
 */
export function jwtVcJsonWallet(holderKey: SigningKey): WalletFormat {
  return {
    format: JWT_VC_JSON,
    selectiveDisclosure: false,
    toDcqlCredential: (held: HeldCredential) => toDcql(held.credential),
    // Everything but the JSON-LD context: a VC-JWT is shown whole, whatever was asked.
    disclosedClaims: (held) => leafClaims(credentialClaims(held.credential).claims).filter((c) => c.path[0] !== "@context"),
    present: (held, { nonce, audience }) => signPresentation(held.credential, holderKey, { nonce, audience }),
  };
}

/**
 * The verifier side: Haki's offline verification (trust list, dates, status lists, holder binding),
 * with the request's nonce and client id as the presentation's required `nonce` and `aud`.
 *
 * @example
 * const formats = [jwtVcJsonVerifier(trust, { status, requireStatus: true })];
 */
export function jwtVcJsonVerifier(trust: TrustList, options: Omit<VerifyPresentationOptions, "nonce" | "audience"> = {}): VerifierFormat {
  return {
    format: JWT_VC_JSON,
    async verify(presentation, { nonce, audience, now }) {
      if (typeof presentation !== "string") throw new Openid4vpError("ERR_VP_PRESENTATION_INVALID", "A jwt_vc_json presentation must be a JWT.");
      const result = await verifyPresentation(presentation, trust, { ...options, ...(now ? { now } : {}), nonce, audience });
      if (!result.valid) throw new Openid4vpError("ERR_VP_PRESENTATION_INVALID", `${result.reason} (${result.code})`, { cause: result });
      const { type, claims } = credentialClaims(presentedCredential(presentation));
      return {
        dcql: { credential_format: JWT_VC_JSON, type, claims: claims as never, cryptographic_holder_binding: true },
        issuer: { id: result.issuer.did, name: result.issuer.name },
        result,
      };
    },
  };
}
