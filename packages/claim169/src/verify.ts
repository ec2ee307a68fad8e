/**
 * Verifies a Claim 169 QR offline: decode, find the issuer's key in the identity trust list, check
 * the COSE_Sign1 signature (Web Crypto: Ed25519 or ECDSA P-256), then the CWT dates.
 */
import { decodeClaim169, type DecodedClaim169 } from "./decode";
import {
  Claim169ExpiredError,
  Claim169ExpiryRequiredError,
  Claim169IssuerUntrustedError,
  Claim169NotYetValidError,
  Claim169SignatureInvalidError,
  Claim169TrustListInvalidError,
} from "./errors";
import { importParams, verifySignature } from "./lib/cose";
import { findIdentityKeys, parseIdentityTrustList, type IdentityIssuer, type IdentityIssuerKey, type IdentityTrustList } from "./trust";

export interface VerifyClaim169Options {
  /** The time to check validity at (default: now). */
  now?: Date;
  /** Allowed clock difference for `exp` and `nbf`, in seconds (default 60, as for Haki credentials). */
  clockToleranceSeconds?: number;
  /** Refuse codes without an end date (`exp`); ID cards often have none, so off by default. */
  requireExpiry?: boolean;
}

/** A verified Claim 169 code: what it says, who signed it and with which key. */
export interface VerifiedClaim169 extends DecodedClaim169 {
  issuer: { id: string; name: string };
  key: { kid?: string; alg: IdentityIssuerKey["alg"] };
  checkedAt: Date;
}

const keyCache = new WeakMap<IdentityIssuerKey, Promise<CryptoKey>>();
function importKey(key: IdentityIssuerKey): Promise<CryptoKey> {
  let imported = keyCache.get(key);
  if (!imported) {
    const { kid: _kid, alg: _alg, use: _use, ...jwk } = key.publicKeyJwk;
    imported = crypto.subtle.importKey("jwk", jwk, importParams(key.alg).import, false, ["verify"]);
    keyCache.set(key, imported);
  }
  return imported;
}

async function findSigner(decoded: DecodedClaim169, trust: IdentityTrustList): Promise<{ issuer: IdentityIssuer; key: IdentityIssuerKey }> {
  const candidates = findIdentityKeys(trust, decoded.cwt.issuer, decoded.kid, decoded.alg);
  if (candidates.length === 0) throw new Claim169IssuerUntrustedError();
  for (const candidate of candidates) {
    let key: CryptoKey;
    try {
      key = await importKey(candidate.key);
    } catch (cause) {
      throw new Claim169TrustListInvalidError(`The key of ${candidate.issuer.name} in the trusted list cannot be used.`, { cause });
    }
    if (await verifySignature(decoded.cose, key)) return candidate;
  }
  throw new Claim169SignatureInvalidError();
}

const day = (d: Date) => d.toISOString().slice(0, 10);

function checkDates(decoded: DecodedClaim169, key: IdentityIssuerKey, options: VerifyClaim169Options, now: Date): void {
  const tolerance = (options.clockToleranceSeconds ?? 60) * 1000;
  const { expiresAt, notBefore, issuedAt } = decoded.cwt;
  if (notBefore && now.getTime() + tolerance < notBefore.getTime()) {
    throw new Claim169NotYetValidError(`This ID card is valid only from ${day(notBefore)}.`);
  }
  if (expiresAt && now.getTime() - tolerance >= expiresAt.getTime()) {
    throw new Claim169ExpiredError(`This ID card expired on ${day(expiresAt)}.`);
  }
  if (!expiresAt && options.requireExpiry) throw new Claim169ExpiryRequiredError();
  if (key.retiredAt && issuedAt && issuedAt.getTime() > Date.parse(key.retiredAt)) {
    throw new Claim169SignatureInvalidError("This ID card was signed with a key its authority had already retired. It cannot be trusted.");
  }
}

/**
 * Verifies a scanned Claim 169 QR text against identity issuers. Throws a `Claim169Error` with a
 * stable code when it cannot be read (`ERR_CLAIM169_BASE45`, ...), is encrypted
 * (`ERR_CLAIM169_ENCRYPTED`), is from an untrusted issuer, has a bad signature, or is expired or
 * not yet valid. Unknown fields are kept in `identity.unknownFields`.
 *
 * @example
 * const id = await verifyClaim169(scanned, bundle); // bundle.identityIssuers
 * show(id.identity.fullName, id.identity.birthDate, id.identity.photo);
 */
export async function verifyClaim169(
  text: string | DecodedClaim169,
  trust: IdentityTrustList,
  options: VerifyClaim169Options = {},
): Promise<VerifiedClaim169> {
  const checked = parseIdentityTrustList(trust);
  const decoded = typeof text === "string" ? await decodeClaim169(text) : text;
  const now = options.now ?? new Date();
  const { issuer, key } = await findSigner(decoded, checked);
  checkDates(decoded, key, options, now);
  return {
    ...decoded,
    issuer: { id: issuer.id, name: issuer.name },
    key: { ...(key.kid ? { kid: key.kid } : {}), alg: key.alg },
    checkedAt: now,
  };
}
