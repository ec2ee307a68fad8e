/**
 * Keeping the device's trust data current whenever the network allows: the trust bundle (only one
 * signed by a key the held bundle allows, never an older one) and every status list the bundle
 * names (verified against the bundle, never older than the copy held). A failure keeps the copy
 * held, which stays usable until its own `validUntil`: a device that cannot reach the issuer keeps
 * working for the programme's offline tolerance.
 */
import { needsRefresh, type StatusListCache } from "@haki/status-list";
import * as z from "zod";
import { verifyFetchedStatusList } from "./status";
import type { TrustDataStore } from "./stores";
import { verifyTrustBundle, type StoredTrustBundle } from "./trust-bundle";

/** Fetches a URL and returns the body text; throws when the network or the server failed. */
export type FetchText = (url: string) => Promise<string>;

export interface ListRefresh {
  url: string;
  ok: boolean;
  /** The error's stable code when it has one (ERR_STATUS_LIST_ROLLBACK, ...). */
  code?: string;
  error?: string;
}

export interface RefreshReport {
  trust: "updated" | "unchanged" | "failed" | "skipped";
  /** Why the trust bundle was not taken (ERR_TRUST_BUNDLE_ROLLBACK, ...), when it has a code. */
  trustCode?: string;
  lists: ListRefresh[];
}

/** `GET {issuer}/api/verifier/trust-bundle` answer. */
export const TrustBundleAnswer = z.object({ bundle: z.string().min(1) });

const codeOf = (e: unknown): string | undefined => {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
};

/**
 * Fetches the status lists the held trust bundle names and keeps those that verify and are not
 * older than the copy held. Returns one line per list.
 *
 * @example
 * const lists = await refreshStatusLists({ store, fetchText, now: Date.now });
 */
export async function refreshStatusLists(args: {
  store: TrustDataStore;
  fetchText: FetchText;
  now: () => number;
}): Promise<ListRefresh[]> {
  const trust = await args.store.getTrust();
  if (!trust) return [];
  const held = await args.store.getStatusLists();
  const out: ListRefresh[] = [];
  for (const url of trust.bundle.statusLists) {
    try {
      const jwt = (await args.fetchText(url)).trim();
      const fresh = await verifyFetchedStatusList(jwt, url, trust.bundle, new Date(args.now()), {
        held: held.find((l) => l.url === url),
      });
      await args.store.putStatusList(fresh);
      out.push({ url, ok: true });
    } catch (e) {
      const code = codeOf(e);
      out.push({
        url,
        ok: false,
        ...(code ? { code } : {}),
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return out;
}

/**
 * Refreshes the trust bundle, then the status lists. Safe to call whenever the network may be
 * there; "skipped" when the device holds no bundle yet (it is not enrolled).
 *
 * @example
 * const report = await refreshTrustData({ store, fetchText, now: Date.now,
 *   trustBundleUrl: "https://pay.example.org/api/verifier/trust-bundle" });
 */
export async function refreshTrustData(args: {
  store: TrustDataStore;
  fetchText: FetchText;
  trustBundleUrl: string;
  now: () => number;
}): Promise<RefreshReport> {
  const current = await args.store.getTrust();
  if (!current) return { trust: "skipped", lists: [] };
  let trust: RefreshReport["trust"];
  let trustCode: string | undefined;
  try {
    const { bundle: jws } = TrustBundleAnswer.parse(
      JSON.parse(await args.fetchText(args.trustBundleUrl)),
    );
    const bundle = await verifyTrustBundle(jws, { previous: current.bundle });
    await args.store.putTrust({ jws, bundle, fetchedAt: args.now() });
    trust = bundle.seq > current.bundle.seq ? "updated" : "unchanged";
  } catch (e) {
    trust = "failed";
    trustCode = codeOf(e);
  }
  const lists = await refreshStatusLists(args);
  return { trust, ...(trustCode ? { trustCode } : {}), lists };
}

/**
 * True when a status list the bundle names is missing or past its refresh hint (`ttl`): time to
 * call {@link refreshTrustData} if the network is there. Never a reason to refuse a card.
 *
 * @example
 * if (navigator.onLine && isRefreshDue(trust, lists, new Date())) void refresh();
 */
export function isRefreshDue(
  trust: StoredTrustBundle | undefined,
  lists: readonly StatusListCache[],
  now: Date,
): boolean {
  if (!trust) return false;
  return trust.bundle.statusLists.some((url) => {
    const held = lists.find((l) => l.url === url);
    return !held || needsRefresh(held, now);
  });
}
