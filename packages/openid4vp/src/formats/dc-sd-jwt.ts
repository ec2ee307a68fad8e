/**
 * `dc+sd-jwt`: SD-JWT VC (OpenID4VP 1.0 Appendix B.3), as `@haki/credentials/sd-jwt` issues
 * entitlements: the subject's members at the top level, `name`, `benefit`, `area`, `programme`
 * and `cycle` selectively disclosable. The wallet discloses only the claims the DCQL query names
 * (none when it names none, as the specification says) plus what is always shown, and binds the
 * presentation with a KB-JWT (`nonce` = the request's nonce, `aud` = the verifier's client id,
 * `sd_hash`). DCQL claim paths read the claims after disclosure (`["programme", "id"]`).
 */
import type { SigningKey } from "@haki/credentials/keys";
import {
  SELECTIVELY_DISCLOSABLE,
  SD_JWT_VC_TYPE,
  presentSdJwtVc,
  verifySdJwtVc,
  type DisclosableClaim,
  type VerifySdJwtVcOptions,
} from "@haki/credentials/sd-jwt";
import type { TrustList } from "@haki/credentials/trust";
import { base64urlnopad } from "@scure/base";
import type { DcqlCredential } from "dcql";
import { decodeJwt } from "jose";
import { Openid4vpError } from "../errors";
import { leafClaims, type ClaimPath, type DisclosedClaim, type HeldCredential, type VerifierFormat, type WalletFormat } from "./adapter";

export const DC_SD_JWT = SD_JWT_VC_TYPE;

interface ReadSdJwt {
  /** Claims every presentation shows (the issuer-signed payload, without `_sd` and `_sd_alg`). */
  always: Record<string, unknown>;
  /** Top-level selectively disclosable claims, by name. */
  selective: Record<string, unknown>;
  vct: string;
}

/** Reads a held SD-JWT VC (the holder's own card: its digests were checked when it was received). */
function readSdJwt(sdJwt: string): ReadSdJwt {
  try {
    const [jwt, ...disclosures] = sdJwt.split("~");
    const { _sd: _d, _sd_alg: _a, ...always } = decodeJwt(jwt!);
    const selective: Record<string, unknown> = {};
    for (const d of disclosures.filter(Boolean)) {
      const decoded: unknown = JSON.parse(new TextDecoder().decode(base64urlnopad.decode(d)));
      if (Array.isArray(decoded) && decoded.length === 3 && typeof decoded[1] === "string") selective[decoded[1]] = decoded[2];
    }
    if (typeof always.vct !== "string") throw new Error("no vct");
    return { always, selective, vct: always.vct };
  } catch (cause) {
    throw new Openid4vpError("ERR_VP_FORMAT_UNSUPPORTED", "A stored card is not a readable SD-JWT VC.", { cause });
  }
}

/** The selectively disclosable claims a query's paths reach (a path names a claim by its first segment). */
function claimsToDisclose(read: ReadSdJwt, requested: ClaimPath[] | undefined): DisclosableClaim[] {
  const named = new Set((requested ?? []).map((p) => p[0]));
  return SELECTIVELY_DISCLOSABLE.filter((k) => k in read.selective && named.has(k));
}

function shown(read: ReadSdJwt, requested: ClaimPath[] | undefined): Record<string, unknown> {
  const picked = Object.fromEntries(claimsToDisclose(read, requested).map((k) => [k, read.selective[k]]));
  return { ...read.always, ...picked };
}

/**
 * The wallet side: discloses only what is asked, bound to the holder's key.
 *
 * @example
 * const formats = [jwtVcJsonWallet(holderKey), sdJwtVcWallet(holderKey)];
 */
export function sdJwtVcWallet(holderKey: SigningKey): WalletFormat {
  return {
    format: DC_SD_JWT,
    selectiveDisclosure: true,
    toDcqlCredential: (held: HeldCredential): DcqlCredential => {
      const read = readSdJwt(held.credential);
      return { credential_format: DC_SD_JWT, vct: read.vct, claims: { ...read.always, ...read.selective } as never, cryptographic_holder_binding: true };
    },
    disclosedClaims: (held, requested): DisclosedClaim[] => leafClaims(shown(readSdJwt(held.credential), requested)),
    present: (held, { requested, nonce, audience }) =>
      presentSdJwtVc(held.credential, holderKey, { disclose: claimsToDisclose(readSdJwt(held.credential), requested), nonce, audience }),
  };
}

/**
 * The verifier side: Haki's offline SD-JWT VC verification (trust list, disclosure digests, dates,
 * Token Status List, KB-JWT) with the request's nonce and client id as the KB-JWT's `nonce` and `aud`.
 * A failure is `ERR_VP_PRESENTATION_INVALID` whose `cause` is the verification result (its `code`).
 *
 * @example
 * const formats = [sdJwtVcVerifier(trust, { status: createTokenStatusLookupFromBitstrings(lookup), requireStatus: true })];
 */
export function sdJwtVcVerifier(trust: TrustList, options: Omit<VerifySdJwtVcOptions, "nonce" | "audience" | "now" | "requireKeyBinding"> = {}): VerifierFormat {
  return {
    format: DC_SD_JWT,
    async verify(presentation, { nonce, audience, now }) {
      if (typeof presentation !== "string") throw new Openid4vpError("ERR_VP_PRESENTATION_INVALID", "A dc+sd-jwt presentation must be a compact SD-JWT.");
      const result = await verifySdJwtVc(presentation, trust, { ...options, ...(now ? { now } : {}), nonce, audience, requireKeyBinding: true });
      if (!result.valid) throw new Openid4vpError("ERR_VP_PRESENTATION_INVALID", `${result.reason} (${result.code})`, { cause: result });
      return {
        dcql: { credential_format: DC_SD_JWT, vct: result.vct, claims: result.claims as never, cryptographic_holder_binding: true },
        issuer: { id: result.issuer.did, name: result.issuer.name },
        result,
      };
    },
  };
}
