/**
 * What a verifier keeps of a status list between fetches. A market-stall phone fetches lists when
 * it has a connection and checks entitlements offline against the copy it holds, so every copy
 * records when it was fetched, when the issuer signed it (copies never go backwards), when to fetch
 * again (the `ttl` hint) and until when it may be relied on (the credential's `validUntil`).
 */
import * as z from "zod";
import { StatusPurpose } from "@haki/credentials/model";
import type { StatusList } from "./bitstring";
import type { VerifiedStatusList } from "./credential";
import { decodeStatusList, encodeStatusList, type DecodeOptions } from "./encoding";
import { StatusListCredentialInvalidError, StatusListRollbackError, StatusPurposeMismatchError } from "./errors";

/** A verified status list held by a verifier. */
export interface StatusListCache {
  /** The list's URL: entries name it in `statusListCredential`. */
  url: string;
  purpose: StatusPurpose;
  /** DID of the list's issuer (already verified). */
  issuer: string;
  fetchedAt: Date;
  /**
   * When the issuer signed this copy (the credential's `iat`): a device keeps the newest copy it has
   * seen and refuses older ones ({@link ensureNotRolledBack}). Absent on records stored before it
   * was kept.
   */
  issuedAt?: Date;
  /**
   * The hard limit: after this instant the copy is no longer used to decide a status. The list
   * credential's `validUntil` (`exp`), or sooner when the verifier's own maximum age says so.
   */
  validUntil: Date;
  /**
   * The refresh hint (`ttl`): after this instant fetch a fresh copy when the network allows. Only
   * a hint: the copy stays usable until `validUntil`, so a device offline for days keeps working.
   */
  refreshAfter?: Date;
  list: StatusList;
}

/** Default longest time a fetched list is relied on when its issuer sets no shorter limit. */
export const DEFAULT_STATUS_LIST_MAX_AGE_SECONDS = 24 * 60 * 60;

/**
 * Turns a verified status list credential into a cache record. `validUntil` (the hard limit) is
 * the earlier of the credential's `validUntil` (`exp`) and `fetchedAt + maxAgeSeconds` (the
 * verifier's own policy); the credential's `ttl` only sets `refreshAfter` (W3C Bitstring Status
 * List: `ttl` says when to fetch again, not when to stop trusting the list).
 *
 * @example
 * const cache = toStatusListCache(await verifyStatusListCredential(jwt, key), { fetchedAt: new Date() });
 * if (needsRefresh(cache)) scheduleFetch(cache.url);
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
  return {
    url: verified.url,
    purpose,
    issuer: verified.issuer,
    fetchedAt,
    issuedAt: verified.issuedAt,
    validUntil: new Date(Math.min(...limits)),
    ...(verified.ttlMs !== undefined ? { refreshAfter: new Date(fetchedAt.getTime() + verified.ttlMs) } : {}),
    list: verified.list,
  };
}

/**
 * True once a cached list may no longer be relied on (its hard limit passed).
 *
 * @example
 * if (isStale(cache)) showConnectToUpdate();
 */
export function isStale(cache: Pick<StatusListCache, "validUntil">, now: Date = new Date()): boolean {
  return now.getTime() >= cache.validUntil.getTime();
}

/**
 * True once a fresh copy should be fetched: the refresh hint (`ttl`) passed, or, for a list
 * without one, the copy went stale. Fetching is a matter of opportunity; a list that needs a
 * refresh is still used until it is stale.
 *
 * @example
 * if (navigator.onLine && lists.some((l) => needsRefresh(l))) await refresh();
 */
export function needsRefresh(cache: Pick<StatusListCache, "validUntil" | "refreshAfter">, now: Date = new Date()): boolean {
  return now.getTime() >= (cache.refreshAfter ?? cache.validUntil).getTime();
}

/**
 * Returns `fresh` unless it is older than the copy held: status lists only move forward, so a
 * replayed earlier version (one where a since-cancelled card was still clear) is refused. Copies
 * are ordered by their issue time (`iat`); an equal time is the same version fetched again.
 *
 * @throws StatusListRollbackError (ERR_STATUS_LIST_ROLLBACK) when `fresh` was issued before `held`.
 * @example
 * await store.putStatusList(ensureNotRolledBack(held, fresh));
 */
export function ensureNotRolledBack(held: StatusListCache | undefined, fresh: StatusListCache): StatusListCache {
  if (held?.issuedAt && fresh.issuedAt && fresh.issuedAt.getTime() < held.issuedAt.getTime()) {
    throw new StatusListRollbackError(fresh.url, held.issuedAt, fresh.issuedAt);
  }
  return fresh;
}

/** The JSON form of a cache record (IndexedDB, a file): dates as ISO strings, the list encoded. */
export const StoredStatusListCache = z.object({
  url: z.string().url(),
  purpose: StatusPurpose,
  issuer: z.string().min(1),
  fetchedAt: z.string().datetime({ offset: true }),
  issuedAt: z.string().datetime({ offset: true }).optional(),
  validUntil: z.string().datetime({ offset: true }),
  refreshAfter: z.string().datetime({ offset: true }).optional(),
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
    ...(cache.issuedAt ? { issuedAt: cache.issuedAt.toISOString() } : {}),
    validUntil: cache.validUntil.toISOString(),
    ...(cache.refreshAfter ? { refreshAfter: cache.refreshAfter.toISOString() } : {}),
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
    ...(s.issuedAt ? { issuedAt: new Date(s.issuedAt) } : {}),
    validUntil: new Date(s.validUntil),
    ...(s.refreshAfter ? { refreshAfter: new Date(s.refreshAfter) } : {}),
    list: decodeStatusList(s.encodedList, options),
  };
}
