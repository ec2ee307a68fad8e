/**
 * `jwt_vc_json`: Haki's entitlement VC-JWT (W3C VC 1.1 JWT encoding), presented as a holder-signed
 * VP-JWT whose `nonce` is the request's nonce and `aud` the verifier's client id (OpenID4VP 1.0
 * Appendix B.1). A VC-JWT cannot hide any of its claims: the wallet shows that before consent.
 */
import type { SigningKey } from "@haki/credentials/keys";
import { signPresentation, verifyPresentation, type VerifyPresentationOptions } from "@haki/credentials/presentation";
import type { TrustList } from "@haki/credentials/trust";
import type { DcqlCredential } from "dcql";
import { decodeJwt } from "jose";
import { Openid4vpError } from "../errors";
import { leafClaims, type HeldCredential, type VerifierFormat, type WalletFormat } from "./adapter";

export const JWT_VC_JSON = "jwt_vc_json";

const iso = (seconds: unknown) => (typeof seconds === "number" ? new Date(seconds * 1000).toISOString() : undefined);

/** The VC 1.1 JSON form of a VC-JWT's claims: `vc` plus issuer, dates and the subject's id from the JWT claims. */
export function credentialClaims(jwt: string): { type: string[]; claims: Record<string, unknown>; holderBound: boolean } {
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(jwt);
  } catch (cause) {
    throw new Openid4vpError("ERR_VP_FORMAT_UNSUPPORTED", "A stored card is not a readable VC-JWT.", { cause });
  }
  const vc = (typeof payload.vc === "object" && payload.vc !== null ? payload.vc : {}) as Record<string, unknown>;
  const subject = (typeof vc.credentialSubject === "object" && vc.credentialSubject !== null ? vc.credentialSubject : {}) as Record<string, unknown>;
  const claims: Record<string, unknown> = {
    ...vc,
    ...(typeof payload.iss === "string" ? { issuer: payload.iss } : {}),
    ...(iso(payload.nbf) ? { issuanceDate: iso(payload.nbf) } : {}),
    ...(iso(payload.exp) ? { expirationDate: iso(payload.exp) } : {}),
    credentialSubject: { ...(typeof payload.sub === "string" ? { id: payload.sub } : {}), ...subject },
  };
  const type = Array.isArray(vc.type) ? vc.type.filter((t): t is string => typeof t === "string") : [];
  return { type, claims, holderBound: typeof payload.sub === "string" };
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
      const vp = decodeJwt(presentation) as { vp?: { verifiableCredential?: string[] } };
      const credential = vp.vp?.verifiableCredential?.[0] ?? "";
      const { type, claims } = credentialClaims(credential);
      return {
        dcql: { credential_format: JWT_VC_JSON, type, claims: claims as never, cryptographic_holder_binding: true },
        issuer: { id: result.issuer.did, name: result.issuer.name },
        result,
      };
    },
  };
}
