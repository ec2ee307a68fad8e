/**
 * Identity issuers a verifier accepts Claim 169 codes from: a national ID authority's `iss`, its
 * keys (key id, algorithm, public key as a JWK). Shaped to travel in Haki's trust bundle as
 * `identityIssuers`, next to the programme issuers.
 */
import * as z from "zod";
import { Claim169TrustListInvalidError } from "./errors";
import type { SignatureAlg } from "./lib/cose";

const B64URL_32 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "32 bytes, base64url without padding");

export const Ed25519PublicJwk = z.strictObject({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: B64URL_32,
  kid: z.string().optional(),
  alg: z.string().optional(),
  use: z.string().optional(),
});
export const P256PublicJwk = z.strictObject({
  kty: z.literal("EC"),
  crv: z.literal("P-256"),
  x: B64URL_32,
  y: B64URL_32,
  kid: z.string().optional(),
  alg: z.string().optional(),
  use: z.string().optional(),
});

export const IdentityIssuerKey = z
  .object({
    /** The COSE `kid` as text (UTF-8), or `hex:` + hex digits for a binary id. Absent: the key answers any kid. */
    kid: z.string().min(1).max(200).optional(),
    alg: z.enum(["EdDSA", "ES256"]),
    /** Public key only: a JWK with a private part (`d`) is refused. */
    publicKeyJwk: z.union([Ed25519PublicJwk, P256PublicJwk]),
    /** When the authority stopped signing with this key (ISO 8601); codes issued later are refused. */
    retiredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((k) => (k.alg === "EdDSA") === (k.publicKeyJwk.kty === "OKP"), {
    message: "EdDSA needs an OKP Ed25519 key, ES256 an EC P-256 key",
    path: ["publicKeyJwk"],
  });
export type IdentityIssuerKey = z.infer<typeof IdentityIssuerKey>;

export const IdentityIssuer = z.object({
  /** The CWT `iss` its codes carry (e.g. `https://id.gov.example`). */
  id: z.string().trim().min(1).max(300),
  /** Shown to the person at the counter ("National Identification Authority"). */
  name: z.string().trim().min(1).max(120),
  keys: z.array(IdentityIssuerKey).min(1).max(16),
});
export type IdentityIssuer = z.infer<typeof IdentityIssuer>;
export type IdentityIssuerInput = z.input<typeof IdentityIssuer>;

/** What `verifyClaim169` reads: any object with `identityIssuers`, such as a trust bundle. */
export const IdentityTrustList = z.object({ identityIssuers: z.array(IdentityIssuer).max(64) });
export type IdentityTrustList = z.infer<typeof IdentityTrustList>;

const validated = new WeakMap<object, IdentityTrustList>();

/**
 * Validates identity issuers read from storage, a file or the network. Throws
 * `ERR_CLAIM169_TRUST_LIST_INVALID`. An object is checked once: `verifyClaim169` calls this on
 * every scan, and the same answer (whose keys stay imported) comes back while the object is kept.
 *
 * @example
 * const trust = parseIdentityTrustList(JSON.parse(text)); // { identityIssuers: [...] }
 */
export function parseIdentityTrustList(input: unknown): IdentityTrustList {
  const isObject = typeof input === "object" && input !== null;
  const known = isObject ? validated.get(input) : undefined;
  if (known) return known;
  const r = IdentityTrustList.safeParse(input);
  if (!r.success) throw new Claim169TrustListInvalidError(undefined, { cause: r.error });
  if (isObject) validated.set(input, r.data);
  return r.data;
}

/** A key that may have signed a code, with its issuer. */
export interface CandidateKey {
  issuer: IdentityIssuer;
  key: IdentityIssuerKey;
}

/**
 * The trusted keys that may have signed a code with this `iss`, `kid` and algorithm. A code
 * without `iss` may match any issuer (the signature then says which); a key without `kid` answers any.
 *
 * @example
 * const keys = findIdentityKeys(trust, decoded.cwt.issuer, decoded.kid, decoded.alg);
 */
export function findIdentityKeys(trust: IdentityTrustList, iss: string | undefined, kid: string | undefined, alg: SignatureAlg): CandidateKey[] {
  const out: CandidateKey[] = [];
  for (const issuer of trust.identityIssuers) {
    if (iss !== undefined && issuer.id !== iss) continue;
    for (const key of issuer.keys) {
      if (key.alg !== alg) continue;
      if (kid !== undefined && key.kid !== undefined && key.kid !== kid) continue;
      out.push({ issuer, key });
    }
  }
  return out;
}

/**
 * An identity trust list with one issuer, validated: for a local set-up or tests.
 *
 * @example
 * const trust = identityTrustListOf({ id: "https://id.example", name: "ID Authority", keys: [{ alg: "EdDSA", publicKeyJwk }] });
 */
export function identityTrustListOf(...issuers: IdentityIssuerInput[]): IdentityTrustList {
  return parseIdentityTrustList({ identityIssuers: issuers });
}
