import {
  isRefreshDue,
  refreshStatusLists as refreshLists,
  refreshTrustData,
  type RefreshReport,
} from "@haki/redemption/refresh";
import { ISSUER_ENDPOINTS } from "@haki/redemption/setup";
import type { VerifierDb } from "../storage/db";
import { fetchText, issuerUrl, type Fetch } from "./http";

export type { RefreshReport };

/**
 * Fetches the status lists the trust bundle names and keeps those that verify and are not older
 * than the copy held (`@haki/redemption/refresh`). A list that fails keeps its previous copy.
 *
 * @example
 * await refreshStatusLists({ db, fetch, now: Date.now });
 */
export function refreshStatusLists(args: {
  db: VerifierDb;
  fetch: Fetch;
  now: () => number;
}): Promise<RefreshReport["lists"]> {
  return refreshLists({
    store: args.db,
    fetchText: (url) => fetchText(args.fetch, url),
    now: args.now,
  });
}

/**
 * Refreshes the trust bundle (accepted only if signed by a key the current one allows, and not
 * older) and then the status lists. Safe to call whenever the network may be there.
 *
 * @example
 * window.addEventListener("online", () => void refreshAll({ db, fetch, now: Date.now }));
 */
export async function refreshAll(args: {
  db: VerifierDb;
  fetch: Fetch;
  now: () => number;
}): Promise<RefreshReport> {
  const enrolment = await args.db.getEnrolment();
  if (!enrolment) return { trust: "skipped", lists: [] };
  return refreshTrustData({
    store: args.db,
    fetchText: (url) => fetchText(args.fetch, url),
    trustBundleUrl: issuerUrl(enrolment.issuer, ISSUER_ENDPOINTS.trustBundle),
    now: args.now,
  });
}

/** Shortest time between two refresh attempts the lists' hint may trigger (a failing network). */
const RETRY_AFTER_MS = 60_000;

/**
 * True when a status list's refresh hint (`ttl`) passed, or one is missing, and the last attempt
 * is at least a minute old: time to call `refreshAll` if the network is there.
 *
 * @example
 * if (navigator.onLine && (await refreshDue(db, lastAttempt, Date.now()))) await refreshAll(args);
 */
export async function refreshDue(
  db: VerifierDb,
  lastAttempt: number,
  now: number,
): Promise<boolean> {
  if (now - lastAttempt < RETRY_AFTER_MS) return false;
  return isRefreshDue(await db.getTrust(), await db.getStatusLists(), new Date(now));
}
