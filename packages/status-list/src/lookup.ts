/**
 * Checking a credential's status entry against the lists a verifier holds, offline.
 * This is the `status` option of `verifyCredential` in @haki/credentials.
 */
import { BitstringStatusListEntry } from "@haki/credentials/model";
import { getStatus } from "./bitstring";
import { isStale, type StatusListCache } from "./cache";
import { StatusIndexOutOfRangeError } from "./errors";

/**
 * `true`: the status bit is set (revoked / suspended); `false`: clear; `undefined`: no usable
 * list is held for that URL and purpose (never fetched, or stale), so the status is unknown.
 */
export type StatusLookup = (entry: BitstringStatusListEntry) => boolean | undefined;

export interface StatusLookupOptions {
  /** Clock for staleness. Defaults to the system clock. */
  now?: () => Date;
  /** Use stale lists anyway (for a "last known status" display, never to accept). */
  allowStale?: boolean;
  /** Called with the copy that answered an entry (to tell the person how old the answer is). */
  onUse?: (cache: StatusListCache) => void;
}

/**
 * Checks one status entry against cached lists.
 *
 * @throws StatusIndexOutOfRangeError when the entry's index lies outside the held list (the spec's
 *   RANGE_ERROR: the credential and the list disagree).
 * @example
 * checkStatusEntry(vc.credentialStatus[0], caches); // true = revoked
 */
export function checkStatusEntry(
  entry: BitstringStatusListEntry,
  cachedLists: Iterable<StatusListCache>,
  options: { now?: Date; allowStale?: boolean; onUse?: (cache: StatusListCache) => void } = {},
): boolean | undefined {
  const e = BitstringStatusListEntry.parse(entry);
  const now = options.now ?? new Date();
  let best: StatusListCache | undefined;
  for (const cache of cachedLists) {
    if (cache.url !== e.statusListCredential || cache.purpose !== e.statusPurpose) continue;
    if (!options.allowStale && isStale(cache, now)) continue;
    if (!best || cache.fetchedAt.getTime() > best.fetchedAt.getTime()) best = cache;
  }
  if (!best) return undefined;
  const index = Number(e.statusListIndex);
  if (index >= best.list.length) throw new StatusIndexOutOfRangeError(index, best.list.length);
  options.onUse?.(best);
  return getStatus(best.list, index);
}

/**
 * Builds the status lookup `verifyCredential(jwt, trust, { status })` calls for each entry.
 * The lists are read once; later changes to the iterable are not seen (build a new lookup after
 * a refresh).
 *
 * @example
 * const status = createStatusLookup(await loadCachedLists());
 * const result = await verifyCredential(jwt, trust, { status });
 */
export function createStatusLookup(
  cachedLists: Iterable<StatusListCache>,
  options: StatusLookupOptions = {},
): StatusLookup {
  const lists = [...cachedLists];
  const clock = options.now ?? (() => new Date());
  return (entry) =>
    checkStatusEntry(entry, lists, {
      now: clock(),
      allowStale: options.allowStale ?? false,
      ...(options.onUse ? { onUse: options.onUse } : {}),
    });
}
