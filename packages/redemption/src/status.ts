/**
 * Status lists on the device: verifying freshly fetched status list credentials against the trust
 * bundle, and applying the operator's "too old" limit at check time.
 */
import { findIssuerKeys } from "@haki/credentials/trust";
import {
  toStatusListCache,
  verifyStatusListCredential,
  type StatusListCache,
} from "@haki/status-list";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { StatusListError } from "./codes";
import { trustListFromBundle, type TrustBundle } from "./trust-bundle";

/** Lists are kept whatever their age; the operator's limit decides at check time (`withMaxAge`). */
const KEEP_SECONDS = 400 * 24 * 3600;

/**
 * Verifies one fetched status list credential with its issuer's key from the trust bundle and
 * returns the cache record to store. Throws `StatusListError` (ERR_STATUS_LIST_INVALID) with the
 * status-list package's error as `cause`.
 *
 * @example
 * const cache = await verifyFetchedStatusList(jwt, url, bundle, new Date());
 */
export async function verifyFetchedStatusList(
  jwt: string,
  url: string,
  bundle: TrustBundle,
  fetchedAt: Date,
): Promise<StatusListCache> {
  let iss: unknown;
  let kid: string | undefined;
  try {
    iss = decodeJwt(jwt).iss;
    kid = decodeProtectedHeader(jwt).kid;
  } catch (cause) {
    throw new StatusListError(`The status list at ${url} is damaged`, { cause });
  }
  if (typeof iss !== "string")
    throw new StatusListError(`The status list at ${url} names no issuer`);
  const keys = findIssuerKeys(trustListFromBundle(bundle), iss, kid);
  if (!keys?.length)
    throw new StatusListError(`The status list at ${url} comes from an untrusted issuer`);
  let lastError: unknown;
  for (const k of keys) {
    try {
      const verified = await verifyStatusListCredential(jwt, k.publicKeyJwk, {
        now: fetchedAt,
        issuer: iss,
        url,
      });
      return toStatusListCache(verified, { fetchedAt, maxAgeSeconds: KEEP_SECONDS });
    } catch (e) {
      lastError = e;
    }
  }
  throw new StatusListError(`The status list at ${url} failed verification`, { cause: lastError });
}

/**
 * The cached lists as the check should see them: each stops counting `maxAgeHours` after it was
 * fetched (or earlier, when its issuer said so).
 *
 * @example
 * const lists = withMaxAge(cached, settings.maxStatusAgeHours);
 */
export function withMaxAge(
  lists: readonly StatusListCache[],
  maxAgeHours: number,
): StatusListCache[] {
  return lists.map((l) => ({
    ...l,
    validUntil: new Date(
      Math.min(l.validUntil.getTime(), l.fetchedAt.getTime() + maxAgeHours * 3_600_000),
    ),
  }));
}
