import {
  isRefreshDue,
  refreshStatusLists as refreshLists,
  refreshTrustData,
  type RefreshReport,
} from "@haki/redemption/refresh";
import { signRelayOpening } from "@haki/openid4vp/relay-auth";
import { BindingKeysResponse, ISSUER_ENDPOINTS } from "@haki/redemption/setup";
import { refreshHandOvers } from "@haki/redemption/hand-over-feed";
import type { VerifierDb } from "../storage/db";
import { fetchText, issuerUrl, postJson, type Fetch } from "./http";

/** What a refresh did: the trust bundle, the status lists, the ID-binding keys, other devices' hand-overs. */
export interface VerifierRefreshReport extends RefreshReport {
  bindingKeys: "updated" | "unchanged" | "failed" | "skipped";
  handOvers: "updated" | "unchanged" | "failed" | "skipped";
}

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
}): Promise<VerifierRefreshReport> {
  const enrolment = await args.db.getEnrolment();
  if (!enrolment) return { trust: "skipped", lists: [], bindingKeys: "skipped", handOvers: "skipped" };
  const report = await refreshTrustData({
    store: args.db,
    fetchText: (url) => fetchText(args.fetch, url),
    trustBundleUrl: issuerUrl(enrolment.issuer, ISSUER_ENDPOINTS.trustBundle),
    now: args.now,
  });
  return { ...report, bindingKeys: await refreshBindingKeys(args), handOvers: await refreshHandOverFeed(args) };
}

/**
 * Asks the issuer for the hand-overs other devices recorded since this device last asked, for the
 * programmes this service point serves, and merges them into the device's books (issue 12, relay):
 * a card handed over at another counter is then refused here. Signed like the binding-keys call; a
 * failure keeps the books and the cursor as they were.
 *
 * @example
 * await refreshHandOverFeed({ db, fetch, now: Date.now }); // "updated"
 */
export async function refreshHandOverFeed(args: { db: VerifierDb; fetch: Fetch; now: () => number }): Promise<VerifierRefreshReport["handOvers"]> {
  const [enrolment, device] = await Promise.all([args.db.getEnrolment(), args.db.getDevice()]);
  if (!enrolment || !device) return "skipped";
  const url = issuerUrl(enrolment.issuer, ISSUER_ENDPOINTS.handOvers);
  const report = await refreshHandOvers({
    store: args.db,
    proof: () => signRelayOpening({ deviceId: enrolment.deviceId, privateKey: device.privateKey }, url, new Date(args.now())),
    post: (body) => postJson(args.fetch, url, body),
  });
  return report.outcome;
}

/**
 * Asks the issuer for the binding keys of the bound programmes this service point serves (issue
 * 16), with a short-lived proof signed by the device's enrolled key: a device set up before a
 * programme turned binding on gets its key at the next refresh, and keys of programmes that turned
 * it off go. Asked only when the trust bundle says a programme served here binds its cards, or
 * keys are held; a failure keeps the keys held.
 *
 * @example
 * await refreshBindingKeys({ db, fetch, now: Date.now }); // "updated"
 */
export async function refreshBindingKeys(args: { db: VerifierDb; fetch: Fetch; now: () => number }): Promise<VerifierRefreshReport["bindingKeys"]> {
  const [enrolment, trust, device] = await Promise.all([args.db.getEnrolment(), args.db.getTrust(), args.db.getDevice()]);
  if (!enrolment || !trust || !device) return "skipped";
  const served = trust.bundle.servicePoints.find((s) => s.id === enrolment.servicePoint)?.programmes ?? [];
  const bound = trust.bundle.programmes.some((p) => p.idBinding && served.includes(p.id));
  const held = enrolment.bindingKeys ?? [];
  if (!bound && held.length === 0) return "skipped";
  const url = issuerUrl(enrolment.issuer, ISSUER_ENDPOINTS.bindingKeys);
  let bindingKeys;
  try {
    const proof = await signRelayOpening({ deviceId: enrolment.deviceId, privateKey: device.privateKey }, url, new Date(args.now()));
    ({ bindingKeys } = BindingKeysResponse.parse(await postJson(args.fetch, url, { proof })));
  } catch {
    return "failed";
  }
  const same = (a: typeof held, b: typeof held) => a.length === b.length && a.every((k, i) => k.kid === b[i]?.kid && k.secret === b[i]?.secret);
  if (same(held, bindingKeys)) return "unchanged";
  const { bindingKeys: _old, ...rest } = enrolment;
  await args.db.putEnrolment(bindingKeys.length ? { ...rest, bindingKeys } : rest);
  return "updated";
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
