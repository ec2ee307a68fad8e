/**
 * What a trust bundle holds, as data (zod schemas) and the small readers of it (programme and area
 * names, the credentials trust list), without the signature code: a verifier's storage validates
 * stored bundles with it and its first screen shows names, without loading JOSE. Signing and
 * verifying are in ./trust-bundle, which re-exports all of this.
 */
import { IdentityIssuer } from "@haki/claim169/trust";
import { TrustedIssuer, type TrustList } from "@haki/credentials/trust";
import * as z from "zod";
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
