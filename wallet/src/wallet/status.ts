/**
 * Refreshing the status of the profile's cards when online: fetch each status list credential the
 * cards point at (once per URL), verify it with the card issuer's key, read the card's bit, and save
 * revoked / suspended with the time of the check. A list that cannot be fetched or verified leaves
 * the last known status as it was. Loaded on demand (jose, gzip) to keep the first load small.
 */
import { publicJwkFromDid } from "@haki/credentials/did";
import type { EntitlementJwtPayload } from "@haki/credentials/model";
import { getStatus } from "@haki/status-list/bitstring";
import { verifyStatusListCredential, type VerifiedStatusList } from "@haki/status-list/credential";
import type { WalletDb } from "../storage/db";
import type { Session } from "../storage/profiles";
import { listRecords, putRecords } from "../storage/records";
import { decodeEntitlement } from "./cards";
import { trustForIssuer } from "./receive";
import { StoredCredential, type KnownStatus } from "./schemas";

async function issuerKeys(iss: string, issuerUrl: string | undefined, fetchImpl: typeof fetch): Promise<JsonWebKey[]> {
  if (iss.startsWith("did:key:")) return [publicJwkFromDid(iss) as JsonWebKey];
  if (!issuerUrl) return [];
  const trust = await trustForIssuer(iss, issuerUrl, fetchImpl);
  return trust.issuers.flatMap((i) => i.keys.map((k) => k.publicKeyJwk as JsonWebKey));
}

/** What a refresh of the profile's cards may be given (tests pass both): the fetch to use and the time. */
export interface RefreshOptions {
  fetch?: typeof fetch;
  now?: Date;
}

/** What every refresh starts from: the fetch, the time, and the profile's stored cards. */
export async function startRefresh(db: WalletDb, session: Session, options: RefreshOptions) {
  const fetchImpl = options.fetch ?? fetch.bind(globalThis);
  const now = options.now ?? new Date();
  const { items } = await listRecords(db, session, "credential", StoredCredential);
  return { fetchImpl, now, items };
}

async function fetchList(
  url: string,
  payload: EntitlementJwtPayload,
  keys: JsonWebKey[],
  fetchImpl: typeof fetch,
  now: Date,
): Promise<VerifiedStatusList | undefined> {
  const res = await fetchImpl(url, { headers: { accept: "application/vc+jwt, application/jwt, text/plain" }, cache: "no-store" });
  if (!res.ok) return undefined;
  const jwt = (await res.text()).trim();
  for (const key of keys) {
    try {
      return await verifyStatusListCredential(jwt, key as Parameters<typeof verifyStatusListCredential>[1], { issuer: payload.iss, url, now });
    } catch {
      // Try the issuer's next key; none left means this list is not trusted.
    }
  }
  return undefined;
}

/**
 * Checks every card's status lists and saves what was learnt. Returns how many cards were checked.
 *
 * @example
 * if (navigator.onLine) await refreshStatuses(db, session);
 */
export async function refreshStatuses(db: WalletDb, session: Session, options: RefreshOptions = {}): Promise<number> {
  const { fetchImpl, now, items } = await startRefresh(db, session, options);
  const lists = new Map<string, Promise<VerifiedStatusList | undefined>>();
  const updates: { kind: "credential"; id: string; value: StoredCredential }[] = [];
  for (const item of items) {
    const payload = decodeEntitlement(item.value.jwt);
    // An SD-JWT VC's status is a Token Status List entry, not read here: its last known status stays.
    if (!payload || payload.format === "dc+sd-jwt") continue;
    try {
      const keys = await issuerKeys(payload.iss, item.value.issuerUrl, fetchImpl);
      const bits: Partial<Record<"revocation" | "suspension", boolean>> = {};
      for (const entry of payload.vc.credentialStatus) {
        const url = entry.statusListCredential;
        if (!lists.has(url)) lists.set(url, fetchList(url, payload, keys, fetchImpl, now).catch(() => undefined));
        const list = await lists.get(url);
        if (list?.purposes.includes(entry.statusPurpose)) bits[entry.statusPurpose] = getStatus(list.list, Number(entry.statusListIndex));
      }
      // A list that could not be fetched or verified leaves the last known status for this card.
      if (payload.vc.credentialStatus.some((e) => bits[e.statusPurpose] === undefined)) continue;
      const status: KnownStatus = { revoked: bits.revocation === true, suspended: bits.suspension === true, checkedAt: now.toISOString() };
      updates.push({ kind: "credential", id: item.id, value: { ...item.value, status } });
    } catch {
      // The issuer's keys could not be read: keep the last known status for this card.
    }
  }
  if (updates.length) await putRecords(db, session, updates);
  return updates.length;
}
