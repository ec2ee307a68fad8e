/**
 * The trust list: the issuers (DIDs and public keys) a verifier accepts, held on the device and
 * refreshed when it has a connection. Verification reads keys only from here (or from a did:key
 * itself), so it works with no network at all.
 */
import * as z from "zod";
import { fullKeyId, keyIdForDid, publicJwkFromDid } from "./did";
import { TrustListInvalidError } from "./errors";
import { Ed25519PublicJwk } from "./lib/jwk";
import { IssuerDid } from "./model";

export const TrustedKey = z.object({
  /** Key id: a fragment ("key-1") or the full JWS kid ("did:web:haki.example.org#key-1"). */
  id: z.string().min(1).max(300),
  publicKeyJwk: Ed25519PublicJwk,
});
export type TrustedKey = z.infer<typeof TrustedKey>;

export const TrustedIssuer = z
  .object({
    did: IssuerDid,
    name: z.string().trim().min(1).max(120),
    /** Keys of a did:web issuer; a did:key issuer may list none (its key is its DID). */
    keys: z.array(TrustedKey).max(16).default([]),
    /** When present, the issuer is trusted only for these programme ids. */
    programmes: z.array(z.string().min(1).max(64)).optional(),
  })
  .refine((i) => i.did.startsWith("did:key:") || i.keys.length > 0, {
    message: "a did:web issuer needs at least one key",
    path: ["keys"],
  });
export type TrustedIssuer = z.infer<typeof TrustedIssuer>;

export const TrustList = z.object({
  issuers: z.array(TrustedIssuer),
  /** When the list was last refreshed (ISO 8601). */
  updatedAt: z.iso.datetime({ offset: true }),
});
export type TrustList = z.infer<typeof TrustList>;
export type TrustListInput = z.input<typeof TrustList>;

/**
 * Validates a trust list read from storage or the network. Throws `ERR_TRUST_LIST_INVALID`.
 *
 * @example
 * const trust = parseTrustList(JSON.parse(localStorage.trust));
 */
export function parseTrustList(input: unknown): TrustList {
  const r = TrustList.safeParse(input);
  if (!r.success) throw new TrustListInvalidError(undefined, { cause: r.error });
  return r.data;
}

/** An issuer key found for a credential, with the issuer entry. */
export interface ResolvedIssuerKey {
  issuer: TrustedIssuer;
  kid: string;
  publicKeyJwk: Ed25519PublicJwk;
}

interface IndexedIssuer {
  issuer: TrustedIssuer;
  keys: Map<string, Ed25519PublicJwk>;
}

const indexCache = new WeakMap<TrustList, Map<string, IndexedIssuer>>();

function indexTrust(trust: TrustList): Map<string, IndexedIssuer> {
  let index = indexCache.get(trust);
  if (index) return index;
  index = new Map();
  for (const issuer of trust.issuers) {
    const keys = new Map<string, Ed25519PublicJwk>();
    for (const k of issuer.keys ?? []) keys.set(fullKeyId(issuer.did, k.id), k.publicKeyJwk);
    if (issuer.did.startsWith("did:key:") && keys.size === 0) {
      try {
        keys.set(keyIdForDid(issuer.did), publicJwkFromDid(issuer.did));
      } catch {
        continue;
      }
    }
    index.set(issuer.did, { issuer, keys });
  }
  indexCache.set(trust, index);
  return index;
}

/**
 * The trusted keys that may have signed a credential of issuer `iss` with header `kid`: the key
 * named by `kid`, or every key of the issuer when the JWT has no `kid`. Undefined when the issuer
 * or the key is not trusted. The trust list is indexed once per object (keep the same object).
 *
 * @example
 * const keys = findIssuerKeys(trust, payload.iss, header.kid);
 */
export function findIssuerKeys(trust: TrustList, iss: string, kid?: string): ResolvedIssuerKey[] | undefined {
  const entry = indexTrust(trust).get(iss);
  if (!entry) return undefined;
  if (kid !== undefined) {
    const full = fullKeyId(iss, kid);
    if (!full.startsWith(`${iss}#`)) return undefined;
    const jwk = entry.keys.get(full);
    return jwk ? [{ issuer: entry.issuer, kid: full, publicKeyJwk: jwk }] : undefined;
  }
  return [...entry.keys].map(([k, jwk]) => ({ issuer: entry.issuer, kid: k, publicKeyJwk: jwk }));
}

/**
 * A trust list with one issuer, for a local setup or tests.
 *
 * @example
 * const trust = trustListOf({ did: issuer.did, name: "Cash for Work", keys: [{ id: issuer.kid, publicKeyJwk: issuer.publicJwk }] });
 */
export function trustListOf(...issuers: z.input<typeof TrustedIssuer>[]): TrustList {
  return parseTrustList({ issuers, updatedAt: new Date().toISOString() });
}
