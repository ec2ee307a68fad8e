/**
 * Issuing: an entitlement credential as a VC-JWT (OpenID4VCI `jwt_vc_json`), EdDSA over Ed25519.
 *
 * The JWS is built from Haki's canonical bytes: header `{"alg":"EdDSA","typ":"JWT","kid":...}` and
 * `serializeEntitlementPayload(buildEntitlementPayload(input))`, so the QR codec can carry only the
 * claims and the signature and rebuild the exact token.
 */
import { ZodError } from "zod";
import {
  buildEntitlementPayload,
  compileEntitlementPayload,
  serializeEntitlementPayload,
  type EntitlementPayloadFields,
} from "./canonical";
import { InputInvalidError, KeyInvalidError, KeyMismatchError } from "./errors";
import type { SigningKey } from "./keys";
import { signCompact } from "./lib/jws";
import type { EntitlementInput, EntitlementJwtPayload } from "./model";

export { serializeJwsHeader } from "./lib/jws";

function checkKey(key: SigningKey, did: string): void {
  if (!key || typeof key.kid !== "string" || !key.privateKey) throw new KeyInvalidError("A signing key needs kid and privateKey.");
  if (!key.kid.startsWith(`${did}#`)) {
    throw new KeyMismatchError(`The key ${key.kid} does not belong to ${did}.`);
  }
}

/**
 * Signs an entitlement credential. Throws `ERR_INPUT_INVALID` (with the zod error as cause) for bad
 * input and `ERR_KEY_MISMATCH` when the key is not the issuer's.
 *
 * @example
 * const jwt = await signCredential({ issuer: issuerKey.did, holder: holder.did, subject,
 *   validFrom: "2027-03-01", validUntil: "2027-04-01",
 *   status: { revocationList, suspensionList, index: 42 } }, issuerKey);
 */
export async function signCredential(input: EntitlementInput, key: SigningKey): Promise<string> {
  let payload: EntitlementJwtPayload;
  try {
    payload = buildEntitlementPayload(input);
  } catch (cause) {
    if (cause instanceof ZodError) {
      const first = cause.issues[0];
      throw new InputInvalidError(first ? `${first.path.join(".") || "input"}: ${first.message}` : undefined, { cause });
    }
    throw cause;
  }
  checkKey(key, payload.iss);
  return signCompact(serializeEntitlementPayload(payload), key.kid, key.privateKey);
}

/**
 * Signs an already built payload (e.g. rebuilt by a codec or with an `iat`), in canonical form.
 * Does not validate the payload: build it with `buildEntitlementPayload`.
 *
 * @example
 * const jwt = await signEntitlementPayload({ ...buildEntitlementPayload(input), iat: now }, issuerKey);
 */
export async function signEntitlementPayload(payload: EntitlementJwtPayload, key: SigningKey): Promise<string> {
  checkKey(key, payload.iss);
  return signCompact(serializeEntitlementPayload(payload), key.kid, key.privateKey);
}

/**
 * A signer for many credentials that share everything but `EntitlementPayloadFields` (one cycle's
 * entitlements): the key is checked once and the payload text comes from
 * `compileEntitlementPayload`, so the JWTs are exactly `signEntitlementPayload`'s. `base` must be
 * built by `buildEntitlementPayload` (validated); the fields are not validated here.
 *
 * @example
 * const sign = compileEntitlementSigner(buildEntitlementPayload(firstInput), issuerKey);
 * const jwt = await sign({ id, beneficiary: "HK-B0000042", revocationList, suspensionList, index: 42 });
 */
export function compileEntitlementSigner(
  base: EntitlementJwtPayload,
  key: SigningKey,
): (fields: EntitlementPayloadFields) => Promise<string> {
  checkKey(key, base.iss);
  const toJson = compileEntitlementPayload(base);
  return (fields) => signCompact(toJson(fields), key.kid, key.privateKey);
}
