/**
 * What a verifier keeps of a status list between fetches. A market-stall phone fetches lists when
 * it has a connection and checks entitlements offline against the copy it holds, so every copy
 * records when it was fetched and until when it may be relied on.
 */
import * as z from "zod";
import { StatusPurpose } from "@haki/credentials/model";
import type { StatusList } from "./bitstring";
import type { VerifiedStatusList } from "./credential";
import { decodeStatusList, encodeStatusList, type DecodeOptions } from "./encoding";
import { StatusListCredentialInvalidError, StatusPurposeMismatchError } from "./errors";

/** A verified status list held by a verifier. */
export interface StatusListCache {
  /** The list's URL: entries name it in `statusListCredential`. */
  url: string;
  purpose: StatusPurpose;
  /** DID of the list's issuer (already verified). */
  issuer: string;
  fetchedAt: Date;
  /** After this instant the copy is stale and is no longer used to decide a status. */
  validUntil: Date;
  list: StatusList;
}

/** Default longest time a fetched list is relied on when its issuer sets no shorter limit. */
export const DEFAULT_STATUS_LIST_MAX_AGE_SECONDS = 24 * 60 * 60;

/**
 * Turns a verified status list credential into a cache record. `validUntil` is the earliest of the
 * credential's `exp`, `fetchedAt + ttl` and `fetchedAt + maxAgeSeconds` (the verifier's own policy).
 *
 * @example
 * const cache = toStatusListCache(await verifyStatusListCredential(jwt, key), { fetchedAt: new Date() });
 */
export function toStatusListCache(
  verified: VerifiedStatusList,
  options: { fetchedAt?: Date; maxAgeSeconds?: number; purpose?: StatusPurpose } = {},
): StatusListCache {
  const fetchedAt = options.fetchedAt ?? new Date();
  const purpose = options.purpose ?? (verified.purposes.length === 1 ? verified.purposes[0] : undefined);
  if (purpose === undefined) {
    throw new StatusListCredentialInvalidError("This list serves several purposes: say which one to keep.");
  }
  if (!verified.purposes.includes(purpose)) {
    throw new StatusPurposeMismatchError(purpose, verified.purposes.join(", "));
  }
  const limits = [fetchedAt.getTime() + (options.maxAgeSeconds ?? DEFAULT_STATUS_LIST_MAX_AGE_SECONDS) * 1000];
  if (verified.validUntil) limits.push(verified.validUntil.getTime());
  if (verified.ttlMs !== undefined) limits.push(fetchedAt.getTime() + verified.ttlMs);
  return {
    url: verified.url,
    purpose,
    issuer: verified.issuer,
    fetchedAt,
    validUntil: new Date(Math.min(...limits)),
    list: verified.list,
  };
}

/**
 * True once a cached list may no longer be relied on.
 *
 * @example
 * if (isStale(cache)) scheduleRefresh(cache.url);
 */
export function isStale(cache: Pick<StatusListCache, "validUntil">, now: Date = new Date()): boolean {
  return now.getTime() >= cache.validUntil.getTime();
}

/** The JSON form of a cache record (IndexedDB, a file): dates as ISO strings, the list encoded. */
export const StoredStatusListCache = z.object({
  url: z.string().url(),
  purpose: StatusPurpose,
  issuer: z.string().min(1),
  fetchedAt: z.string().datetime({ offset: true }),
  validUntil: z.string().datetime({ offset: true }),
  encodedList: z.string(),
});
export type StoredStatusListCache = z.infer<typeof StoredStatusListCache>;

/**
 * Converts a cache record to plain JSON for storage.
 *
 * @example
 * await db.put("statusLists", serializeStatusListCache(cache), cache.url);
 */
export function serializeStatusListCache(cache: StatusListCache): StoredStatusListCache {
  return {
    url: cache.url,
    purpose: cache.purpose,
    issuer: cache.issuer,
    fetchedAt: cache.fetchedAt.toISOString(),
    validUntil: cache.validUntil.toISOString(),
    encodedList: encodeStatusList(cache.list),
  };
}

/**
 * Reads a stored cache record back, validating it (storage can be corrupted or tampered with).
 *
 * @throws StatusListCredentialInvalidError for a record of the wrong shape, and the errors of
 *   {@link decodeStatusList} for a bad list.
 * @example
 * const cache = parseStatusListCache(await db.get("statusLists", url));
 */
export function parseStatusListCache(value: unknown, options: DecodeOptions = {}): StatusListCache {
  const parsed = StoredStatusListCache.safeParse(value);
  if (!parsed.success) {
    throw new StatusListCredentialInvalidError("The stored status list is damaged; fetch it again.", {
      cause: parsed.error,
    });
  }
  const s = parsed.data;
  return {
    url: s.url,
    purpose: s.purpose,
    issuer: s.issuer,
    fetchedAt: new Date(s.fetchedAt),
    validUntil: new Date(s.validUntil),
    list: decodeStatusList(s.encodedList, options),
  };
}
