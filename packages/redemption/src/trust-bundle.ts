/**
 * The issuer's signed trust bundle: everything a verifier device needs to decide offline whom to
 * trust and what this service point may hand over. A compact JWS (EdDSA) whose protected header
 * carries the signing key (`jwk`) and `typ: "haki-trust-bundle+jwt"`; the payload is `TrustBundle`.
 *
 * Trust chain: the set-up code pins the first signing key by thumbprint; each bundle lists the
 * keys allowed to sign the next one (`signingKeys`), so keys can rotate without re-enrolling.
 * `seq` only goes up: an older bundle replayed by a network attacker is refused.
 */
import { CompactSign, compactVerify, decodeProtectedHeader } from "jose";
import { TrustBundleError } from "./codes";
import { fromUtf8, utf8 } from "./lib/b64";
import { importPublicJwk, thumbprint } from "./lib/jwk";
import { PublicJwk } from "./setup";
import { TRUST_BUNDLE_TYP, TrustBundle } from "./trust-bundle-model";

export * from "./trust-bundle-model";

/**
 * Signs a trust bundle (issuer side, and test fixtures).
 *
 * @example
 * const jws = await signTrustBundle(bundle, { privateKey, publicJwk });
 */
export async function signTrustBundle(
  bundle: TrustBundle,
  key: { privateKey: CryptoKey; publicJwk: PublicJwk },
): Promise<string> {
  const b = TrustBundle.parse(bundle);
  const { kty, crv, x } = key.publicJwk;
  return new CompactSign(utf8(JSON.stringify(b)))
    .setProtectedHeader({ alg: "EdDSA", typ: TRUST_BUNDLE_TYP, jwk: { kty, crv, x } })
    .sign(key.privateKey);
}

/** Either the thumbprint pinned by the set-up code, or the bundle the device already trusts. */
export type BundleAnchor = { pinnedThumbprint: string } | { previous: TrustBundle };

/**
 * Verifies a trust bundle against the set-up pin or the previously trusted bundle. Throws
 * `TrustBundleError` (ERR_TRUST_BUNDLE_INVALID / _UNTRUSTED / _ROLLBACK).
 *
 * @example
 * const bundle = await verifyTrustBundle(jws, { pinnedThumbprint: setup.bundleKey });
 * const next = await verifyTrustBundle(newJws, { previous: bundle });
 */
export async function verifyTrustBundle(jws: string, anchor: BundleAnchor): Promise<TrustBundle> {
  let header;
  try {
    header = decodeProtectedHeader(jws);
  } catch (cause) {
    throw new TrustBundleError("ERR_TRUST_BUNDLE_INVALID", "The trust bundle is damaged", {
      cause,
    });
  }
  const jwk = PublicJwk.safeParse(header.jwk);
  if (header.typ !== TRUST_BUNDLE_TYP || header.alg !== "EdDSA" || !jwk.success) {
    throw new TrustBundleError("ERR_TRUST_BUNDLE_INVALID", "Not a Haki trust bundle");
  }
  const tp = await thumbprint(jwk.data);
  const allowed =
    "pinnedThumbprint" in anchor
      ? [anchor.pinnedThumbprint]
      : await Promise.all(anchor.previous.signingKeys.map(thumbprint));
  if (!allowed.includes(tp)) {
    throw new TrustBundleError(
      "ERR_TRUST_BUNDLE_UNTRUSTED",
      "The trust bundle is signed by an unknown key",
    );
  }
  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(jws, await importPublicJwk(jwk.data), {
      algorithms: ["EdDSA"],
    }));
  } catch (cause) {
    throw new TrustBundleError(
      "ERR_TRUST_BUNDLE_UNTRUSTED",
      "The trust bundle signature is wrong",
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(payload));
  } catch (cause) {
    throw new TrustBundleError("ERR_TRUST_BUNDLE_INVALID", "The trust bundle is damaged", {
      cause,
    });
  }
  const parsed = TrustBundle.safeParse(json);
  if (!parsed.success) {
    throw new TrustBundleError("ERR_TRUST_BUNDLE_INVALID", "The trust bundle is incomplete", {
      cause: parsed.error,
    });
  }
  if ("previous" in anchor && parsed.data.seq < anchor.previous.seq) {
    throw new TrustBundleError(
      "ERR_TRUST_BUNDLE_ROLLBACK",
      "This trust bundle is older than the one in use",
    );
  }
  return parsed.data;
}
