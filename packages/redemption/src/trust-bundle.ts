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
import { IdentityIssuer } from "@haki/claim169/trust";
import { TrustedIssuer, type TrustList } from "@haki/credentials/trust";
import * as z from "zod";
import { TrustBundleError } from "./codes";
import { fromUtf8, utf8 } from "./lib/b64";
import { importPublicJwk, thumbprint } from "./lib/jwk";
import { PublicJwk } from "./setup";

export const TRUST_BUNDLE_TYP = "haki-trust-bundle+jwt";

const Id = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);
const Did = z.string().regex(/^did:[a-z0-9]+:[A-Za-z0-9.%:_-]+$/);

export const ProgrammeInfo = z.object({
  id: Id,
  name: z.string().min(1).max(120),
  /** Names in other languages, by locale. */
  names: z.record(z.string(), z.string().min(1).max(120)).optional(),
  /** Whom to contact about a cancelled or suspended card (a phone number, an office). */
  contact: z.string().min(1).max(200).optional(),
  /**
   * Present when the programme's paper cards are bound to the holder's national ID: what the
   * service point does with a bound card shown without a matching ID (`refuse`, or a `visual-check`
   * by eye). Absent: cards are not bound.
   */
  idBinding: z.enum(["refuse", "visual-check"]).optional(),
});
export type ProgrammeInfo = z.infer<typeof ProgrammeInfo>;

/** An administrative area: the code credentials and service points carry, and its place name. */
export const AreaInfo = z.object({ code: Id, name: z.string().min(1).max(120) });
export type AreaInfo = z.infer<typeof AreaInfo>;

export const ServicePointInfo = z.object({
  id: Id,
  name: z.string().min(1).max(120),
  /** Administrative area of the service point (matches an entitlement's `area`). */
  area: Id.optional(),
  /** Programme ids this service point may hand over. */
  programmes: z.array(Id).max(200),
});
export type ServicePointInfo = z.infer<typeof ServicePointInfo>;

export const TrustBundle = z.object({
  v: z.literal(1),
  /** The programme office that signs the bundle. */
  iss: Did,
  /** Version, strictly increasing. */
  seq: z.number().int().nonnegative(),
  /** Issued at, seconds since epoch. */
  iat: z.number().int().nonnegative(),
  /** Keys that may sign the next bundle. */
  signingKeys: z.array(PublicJwk).min(1).max(8),
  /** Issuers of entitlement credentials and their keys (the credentials package's trust list). */
  issuers: z.array(TrustedIssuer).min(1).max(50),
  programmes: z.array(ProgrammeInfo).max(500),
  servicePoints: z.array(ServicePointInfo).max(10000),
  /** URLs of the status list credentials the device should keep cached. */
  statusLists: z.array(z.string().url()).max(1000),
  /** Place names of area codes (the registry's area list), so answers name places, not codes. */
  areas: z.array(AreaInfo).max(5000).optional(),
  /**
   * National ID authorities whose Claim 169 ID QR codes the service point verifies (public keys
   * only; `@haki/claim169/trust`). Optional: bundles signed before identity checks still parse.
   */
  identityIssuers: z.array(IdentityIssuer).max(64).optional(),
});
export type TrustBundle = z.infer<typeof TrustBundle>;

/** What the device keeps: the JWS as received plus when it was fetched. */
export const StoredTrustBundle = z.object({
  jws: z.string(),
  bundle: TrustBundle,
  fetchedAt: z.number().int().nonnegative(),
});
export type StoredTrustBundle = z.infer<typeof StoredTrustBundle>;

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

/**
 * The programme name to show, in the operator's language when the bundle has it.
 *
 * @example
 * programmeName(bundle, "cash-transfer", "sw"); // "Uhamisho wa fedha"
 */
export function programmeName(bundle: TrustBundle, id: string, locale: string): string | undefined {
  const p = bundle.programmes.find((x) => x.id === id);
  return p ? (p.names?.[locale] ?? p.name) : undefined;
}

/**
 * The place name of an area code, or the code itself when the bundle has no name for it.
 *
 * @example
 * areaName(bundle, "KE-047"); // "Nairobi"
 */
export function areaName(bundle: TrustBundle, code: string): string {
  return bundle.areas?.find((a) => a.code === code)?.name ?? code;
}

/**
 * The credentials package's trust list for a bundle (one object per bundle: keep it, the
 * credentials package indexes it once).
 *
 * @example
 * const trust = trustListFromBundle(stored.bundle);
 * await verifyCredential(jwt, trust, { now });
 */
export function trustListFromBundle(bundle: TrustBundle): TrustList {
  return { issuers: bundle.issuers, updatedAt: new Date(bundle.iat * 1000).toISOString() };
}
