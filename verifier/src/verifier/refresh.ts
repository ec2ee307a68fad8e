import { ISSUER_ENDPOINTS } from "@haki/redemption/setup";
import { verifyFetchedStatusList } from "@haki/redemption/status";
import { verifyTrustBundle } from "@haki/redemption/trust-bundle";
import { z } from "zod";
import type { VerifierDb } from "../storage/db";
import { fetchText, issuerUrl, type Fetch } from "./http";

export interface RefreshReport {
  trust: "updated" | "unchanged" | "failed" | "skipped";
  lists: { url: string; ok: boolean; error?: string }[];
}

const BundleAnswer = z.object({ bundle: z.string().min(1) });

/**
 * Fetches the status lists the trust bundle names and keeps those that verify. A list that fails
 * keeps its previous copy (which ages towards "too old" on the home screen).
 *
 * @example
 * await refreshStatusLists({ db, fetch, now: Date.now });
 */
export async function refreshStatusLists(args: {
  db: VerifierDb;
  fetch: Fetch;
  now: () => number;
}): Promise<RefreshReport["lists"]> {
  const trust = await args.db.getTrust();
  if (!trust) return [];
  const out: RefreshReport["lists"] = [];
  for (const url of trust.bundle.statusLists) {
    try {
      const jwt = (await fetchText(args.fetch, url)).trim();
      await args.db.putStatusList(
        await verifyFetchedStatusList(jwt, url, trust.bundle, new Date(args.now())),
      );
      out.push({ url, ok: true });
    } catch (e) {
      out.push({ url, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return out;
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
  const current = await args.db.getTrust();
  if (!enrolment || !current) return { trust: "skipped", lists: [] };
  let trust: RefreshReport["trust"];
  try {
    const text = await fetchText(
      args.fetch,
      issuerUrl(enrolment.issuer, ISSUER_ENDPOINTS.trustBundle),
    );
    const { bundle: jws } = BundleAnswer.parse(JSON.parse(text));
    const bundle = await verifyTrustBundle(jws, { previous: current.bundle });
    await args.db.putTrust({ jws, bundle, fetchedAt: args.now() });
    trust = bundle.seq > current.bundle.seq ? "updated" : "unchanged";
  } catch {
    trust = "failed";
  }
  return { trust, lists: await refreshStatusLists(args) };
}
