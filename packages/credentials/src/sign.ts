/**
 * Issuing: an entitlement credential, EdDSA over Ed25519, in one of two JWT formats (OpenID4VCI
 * `jwt_vc_json` both):
 * - `vc1` (default): VC Data Model 1.1 as a VC-JWT, header `{"alg":"EdDSA","typ":"JWT","kid":...}`,
 *   payload `serializeEntitlementPayload(buildEntitlementPayload(input))`;
 * - `vc2`: VC Data Model 2.0 secured with VC-JOSE-COSE, header `typ: vc+jwt`, the credential itself
 *   as the claims set (`serializeEntitlementCredentialV2(buildEntitlementCredentialV2(input))`).
 * Both sign Haki's canonical bytes, so the QR codec can carry claims + signature and rebuild the
 * exact token.
 */
import { ZodError } from "zod";
import {
  buildEntitlementCredentialV2,
  buildEntitlementPayload,
  compileEntitlementCredentialV2,
  compileEntitlementPayload,
  serializeEntitlementCredentialV2,
  serializeEntitlementPayload,
  type EntitlementPayloadFields,
} from "./canonical";
import { InputInvalidError, KeyInvalidError, KeyMismatchError } from "./errors";
import type { SigningKey } from "./keys";
import { signCompact } from "./lib/jws";
import { JOSE_TYPES, type EntitlementCredentialV2, type EntitlementInput, type EntitlementJwtPayload, type JwtCredentialFormat } from "./model";

export { serializeJwsHeader } from "./lib/jws";

export interface SignCredentialOptions {
  /** `vc1` (VC 1.1 VC-JWT, the default) or `vc2` (VC 2.0 `vc+jwt`). */
  format?: JwtCredentialFormat;
}

function checkKey(key: SigningKey, did: string): void {
  if (!key || typeof key.kid !== "string" || !key.privateKey) throw new KeyInvalidError("A signing key needs kid and privateKey.");
  if (!key.kid.startsWith(`${did}#`)) {
    throw new KeyMismatchError(`The key ${key.kid} does not belong to ${did}.`);
  }
}

function validated<T>(build: () => T): T {
  try {
    return build();
  } catch (cause) {
    if (cause instanceof ZodError) {
      const first = cause.issues[0];
      throw new InputInvalidError(first ? `${first.path.join(".") || "input"}: ${first.message}` : undefined, { cause });
    }
    throw cause;
  }
}

const issuerOf = (c: EntitlementCredentialV2): string => (typeof c.issuer === "string" ? c.issuer : c.issuer.id);

/**
 * Signs an entitlement credential. Throws `ERR_INPUT_INVALID` (with the zod error as cause) for bad
 * input and `ERR_KEY_MISMATCH` when the key is not the issuer's.
 *
 * @example
 * const jwt = await signCredential({ issuer: issuerKey.did, holder: holder.did, subject,
 *   validFrom: "2027-03-01", validUntil: "2027-04-01",
 *   status: { revocationList, suspensionList, index: 42 } }, issuerKey);
 * const vc2 = await signCredential(input, issuerKey, { format: "vc2" }); // typ vc+jwt
 */
export async function signCredential(input: EntitlementInput, key: SigningKey, options: SignCredentialOptions = {}): Promise<string> {
  // The builders return canonical objects already, so their JSON is the canonical text.
  if (options.format === "vc2") {
    const credential = validated(() => buildEntitlementCredentialV2(input));
    checkKey(key, issuerOf(credential));
    return signCompact(JSON.stringify(credential), key.kid, key.privateKey, JOSE_TYPES.vc2.credential);
  }
  const payload = validated(() => buildEntitlementPayload(input));
  checkKey(key, payload.iss);
  return signCompact(JSON.stringify(payload), key.kid, key.privateKey);
}

/**
 * Signs an already built VC 1.1 payload (e.g. rebuilt by a codec or with an `iat`), in canonical
 * form. Does not validate the payload: build it with `buildEntitlementPayload`.
 *
 * @example
 * const jwt = await signEntitlementPayload({ ...buildEntitlementPayload(input), iat: now }, issuerKey);
 */
export async function signEntitlementPayload(payload: EntitlementJwtPayload, key: SigningKey): Promise<string> {
  checkKey(key, payload.iss);
  return signCompact(serializeEntitlementPayload(payload), key.kid, key.privateKey);
}

/**
 * Signs an already built VC 2.0 credential as a `vc+jwt`, in canonical form. Does not validate:
 * build it with `buildEntitlementCredentialV2`.
 *
 * @example
 * const jwt = await signEntitlementCredentialV2(buildEntitlementCredentialV2(input), issuerKey);
 */
export async function signEntitlementCredentialV2(credential: EntitlementCredentialV2, key: SigningKey): Promise<string> {
  checkKey(key, issuerOf(credential));
  return signCompact(serializeEntitlementCredentialV2(credential), key.kid, key.privateKey, JOSE_TYPES.vc2.credential);
}

/**
 * A signer for many credentials that share everything but `EntitlementPayloadFields` (one cycle's
 * entitlements): the key is checked once and the payload text comes from the compiled canonical
 * serializer, so the JWTs are exactly those of `signEntitlementPayload` (a VC 1.1 `base` from
 * `buildEntitlementPayload`) or `signEntitlementCredentialV2` (a VC 2.0 `base` from
 * `buildEntitlementCredentialV2`). `base` must be built (validated); the fields are not validated here.
 *
 * @example
 * const sign = compileEntitlementSigner(buildEntitlementCredentialV2(firstInput), issuerKey);
 * const jwt = await sign({ id, beneficiary: "HK-B0000042", revocationList, suspensionList, index: 42 });
 */
export function compileEntitlementSigner(
  base: EntitlementJwtPayload | EntitlementCredentialV2,
  key: SigningKey,
): (fields: EntitlementPayloadFields) => Promise<string> {
  if (!("@context" in base)) {
    checkKey(key, base.iss);
    const toJson = compileEntitlementPayload(base);
    return (fields) => signCompact(toJson(fields), key.kid, key.privateKey);
  }
  checkKey(key, issuerOf(base));
  const toJson = compileEntitlementCredentialV2(base);
  return (fields) => signCompact(toJson(fields), key.kid, key.privateKey, JOSE_TYPES.vc2.credential);
}
