/**
 * The hand-over feed (issue 12, relay): the balance is the issuer's. At each refresh a device asks
 * the issuer for the hand-overs other devices recorded since its last cursor, for the programmes
 * its service point serves, and merges them into its own books: a card fully handed over at
 * another counter is then refused here ("already handed over"), a partial one shows what is left.
 *
 * Minimal data: the entitlement key (issuer | programme | cycle | pseudonymous reference, what the
 * device's own books are keyed by), the credential id, how much, when, the receipt id; no names,
 * no device or service point. Asked with a short-lived proof signed by the device's enrolled key
 * for the feed's URL (`signRelayOpening`, as for binding keys); a revoked device gets nothing.
 */
import * as z from "zod";
import type { Balance } from "./ledger";

/** One hand-over recorded by another device, as the feed serves it. */
export const FeedHandOver = z.object({
  /** The receipt's id: merged once, whatever page or refresh brings it again. */
  receipt: z.string().regex(/^[A-Za-z0-9_-]{22}$/),
  entitlement: z.string().min(1).max(400),
  credential: z.string().max(200).optional(),
  redemption: z.enum(["single", "partial"]),
  /** What was handed over, in the benefit's unit (amount, quantity; 1 for a voucher without value). */
  amount: z.number().nonnegative().max(1e12),
  /** The entitlement's full amount, as the issuer knows it. */
  total: z.number().nonnegative().max(1e12),
  /** When it was handed over, seconds since epoch (that device's clock). */
  at: z.number().int().nonnegative(),
});
export type FeedHandOver = z.infer<typeof FeedHandOver>;

/** Where the feed stands: opaque to the device, given back as it came. */
export const FeedCursor = z.string().regex(/^\d{1,15}$/);

/** Most hand-overs one page carries, and the default page. */
export const FEED_PAGE_MAX = 500;
export const FEED_PAGE_DEFAULT = 200;

/** POST `ISSUER_ENDPOINTS.handOvers`: the device's proof, and its cursor (none the first time). */
export const HandOverFeedRequest = z.object({
  proof: z.string().min(1).max(2000),
  cursor: FeedCursor.optional(),
  limit: z.number().int().min(1).max(FEED_PAGE_MAX).optional(),
});
export type HandOverFeedRequest = z.infer<typeof HandOverFeedRequest>;

/** One page, oldest first; `cursor` is where the next page starts, `more` whether one is waiting. */
export const HandOverFeedResponse = z.object({
  // A page never ends inside one moment: a moment holding more than a page comes whole.
  handOvers: z.array(FeedHandOver).max(FEED_PAGE_MAX * 10),
  cursor: FeedCursor.optional(),
  more: z.boolean(),
});
export type HandOverFeedResponse = z.infer<typeof HandOverFeedResponse>;

/** What a device keeps for the feed: its books and where it stands in the feed. */
export interface HandOverFeedStore {
  getHandOverCursor(): Promise<string | undefined>;
  /** Merges the page into the books (`mergeHandOver`) and moves the cursor, in one transaction. */
  mergeHandOvers(items: readonly FeedHandOver[], cursor: string | undefined): Promise<void>;
}

const round = (n: number): number => Math.round(n * 1e6) / 1e6;

/**
 * One hand-over made elsewhere, applied to this device's balance of that entitlement: the new
 * balance, or undefined when the receipt is already in it. A single-use entitlement is then used
 * up; a partial one loses what was handed over (never below zero).
 *
 * @example
 * const next = mergeHandOver(await store.getBalance(h.entitlement), h);
 */
export function mergeHandOver(balance: Balance | undefined, h: FeedHandOver): Balance | undefined {
  if (balance?.receipts.includes(h.receipt)) return undefined;
  const redemption = balance?.redemption ?? h.redemption;
  const total = balance?.total ?? h.total;
  const before = balance ? balance.remaining : total;
  return {
    entitlement: h.entitlement,
    redemption,
    total,
    remaining: redemption === "single" || h.redemption === "single" ? 0 : Math.max(0, round(before - h.amount)),
    receipts: [...(balance?.receipts ?? []), h.receipt],
    updatedAt: Math.max(balance?.updatedAt ?? 0, h.at),
  };
}

export interface HandOverFeedReport {
  outcome: "updated" | "unchanged" | "failed";
  /** Hand-overs received (merged unless already known). */
  received: number;
  /** True when pages are still waiting (the next refresh goes on). */
  more: boolean;
}

/**
 * Fetches the feed page by page from the device's cursor and merges each page; at most `maxPages`
 * pages per refresh (bounded work on a slow network; the rest comes at the next refresh). A page
 * that fails stops the refresh and keeps what was merged before it.
 *
 * @example
 * await refreshHandOvers({ store: db, post: (body) => postJson(fetch, url, body), proof: () => signRelayOpening(device, url) });
 */
export async function refreshHandOvers(args: {
  store: HandOverFeedStore;
  post: (body: HandOverFeedRequest) => Promise<unknown>;
  proof: () => Promise<string>;
  maxPages?: number;
  limit?: number;
}): Promise<HandOverFeedReport> {
  let received = 0;
  let more = true;
  const maxPages = args.maxPages ?? 10;
  try {
    const proof = await args.proof();
    for (let page = 0; page < maxPages && more; page++) {
      const cursor = await args.store.getHandOverCursor();
      const answer = HandOverFeedResponse.parse(
        await args.post({ proof, ...(cursor ? { cursor } : {}), ...(args.limit ? { limit: args.limit } : {}) }),
      );
      await args.store.mergeHandOvers(answer.handOvers, answer.cursor ?? cursor);
      received += answer.handOvers.length;
      more = answer.more;
    }
  } catch {
    return { outcome: "failed", received, more: true };
  }
  return { outcome: received > 0 ? "updated" : "unchanged", received, more };
}
