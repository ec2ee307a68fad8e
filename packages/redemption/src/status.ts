/**
 * Status lists on the device: verifying freshly fetched status list credentials against the trust
 * bundle (and against the copy held: lists never go backwards), and applying the operator's "too
 * old" limit at check time.
 */
import { findIssuerKeys } from "@haki/credentials/trust";
import {
  ensureNotRolledBack,
  toStatusListCache,
  verifyStatusListCredential,
  StatusListRollbackError,
  type StatusListCache,
} from "@haki/status-list";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { StatusListRefusedError } from "./codes";
import { trustListFromBundle, type TrustBundle } from "./trust-bundle";

/**
 * Lists are kept whatever their fetch age: the list's own `validUntil` is the hard limit, and the
 * operator's limit decides at check time (`withMaxAge`, or a warning).
 */
const KEEP_SECONDS = 400 * 24 * 3600;

/**
 * Verifies one fetched status list credential with its issuer's key from the trust bundle and
 * returns the cache record to store. With `held` (the copy the device has of the same URL), a copy
 * issued before it is refused: a proxy or an attacker replaying an older signed list cannot bring
 * back a card that was cancelled since. Throws `StatusListRefusedError` (ERR_STATUS_LIST_INVALID or
 * ERR_STATUS_LIST_ROLLBACK) with the status-list package's error as `cause`.
 *
 * @example
 * const held = (await store.getStatusLists()).find((l) => l.url === url);
 * const cache = await verifyFetchedStatusList(jwt, url, bundle, new Date(), { held });
 */
export async function verifyFetchedStatusList(
  jwt: string,
  url: string,
  bundle: TrustBundle,
  fetchedAt: Date,
  options: { held?: StatusListCache | undefined } = {},
): Promise<StatusListCache> {
  let iss: unknown;
  let kid: string | undefined;
  try {
    iss = decodeJwt(jwt).iss;
    kid = decodeProtectedHeader(jwt).kid;
  } catch (cause) {
    throw new StatusListRefusedError(
      "ERR_STATUS_LIST_INVALID",
      `The status list at ${url} is damaged`,
      { cause },
    );
  }
  if (typeof iss !== "string")
    throw new StatusListRefusedError(
      "ERR_STATUS_LIST_INVALID",
      `The status list at ${url} names no issuer`,
    );
  const keys = findIssuerKeys(trustListFromBundle(bundle), iss, kid);
  if (!keys?.length)
    throw new StatusListRefusedError(
      "ERR_STATUS_LIST_INVALID",
      `The status list at ${url} comes from an untrusted issuer`,
    );
  let lastError: unknown;
  for (const k of keys) {
    let fresh: StatusListCache;
    try {
      const verified = await verifyStatusListCredential(jwt, k.publicKeyJwk, {
        now: fetchedAt,
        issuer: iss,
        url,
      });
      fresh = toStatusListCache(verified, { fetchedAt, maxAgeSeconds: KEEP_SECONDS });
    } catch (e) {
      lastError = e;
      continue;
    }
    try {
      return ensureNotRolledBack(options.held, fresh);
    } catch (cause) {
      if (!(cause instanceof StatusListRollbackError)) throw cause;
      throw new StatusListRefusedError("ERR_STATUS_LIST_ROLLBACK", cause.message, { cause });
    }
  }
  throw new StatusListRefusedError(
    "ERR_STATUS_LIST_INVALID",
    `The status list at ${url} failed verification`,
    {
      cause: lastError,
    },
  );
}

/**
 * The cached lists as the check sees them when the operator refuses old data: each stops counting
 * `maxAgeHours` after it was fetched (or earlier, at its own `validUntil`).
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
