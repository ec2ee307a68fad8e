/**
 * What a verifier device keeps between checks, as interfaces: the app implements them over
 * IndexedDB, tests and the benchmark use the in-memory versions here. `testing.ts` has the shared
 * conformance suite every implementation runs.
 */
import type { StatusListCache } from "@haki/status-list";
import * as z from "zod";
import { mergeHandOver, type HandOverFeedStore } from "./hand-over-feed";
import { Balance } from "./ledger";
import type { StoredTrustBundle } from "./trust-bundle";

/** One signed receipt waiting to be sent to the issuer. */
export const OutboxItem = z.object({
  /** The receipt id (idempotency key). */
  id: z.string().min(1).max(64),
  jws: z.string().min(1),
  entitlement: z.string(),
  createdAt: z.number().int().nonnegative(),
  attempts: z.number().int().nonnegative(),
  /** Milliseconds since epoch; not sent before this. */
  nextAttemptAt: z.number().int().nonnegative(),
  /** "pending" until the issuer acknowledges; "rejected" when it refused the receipt for good. */
  state: z.enum(["pending", "sent", "rejected"]),
  sentAt: z.number().int().nonnegative().optional(),
  lastError: z.string().max(500).optional(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

/** Ids of presentations already accepted here, kept until they could no longer be fresh anyway. */
export interface SeenIdsStore {
  /** True when `id` was already recorded. */
  hasSeen(id: string): Promise<boolean>;
  /** Records `id`; resolves false when it was already there (a replay). Atomic. */
  markSeen(id: string, expiresAt: number): Promise<boolean>;
  /** Forgets ids whose `expiresAt` is before `now`. */
  prune(now: number): Promise<void>;
}

export interface BalanceStore {
  getBalance(entitlement: string): Promise<Balance | undefined>;
}

export interface OutboxStore {
  listOutbox(): Promise<OutboxItem[]>;
  putOutbox(item: OutboxItem): Promise<void>;
}

/** The device's local books: a hand-over updates the balance and queues its receipt together. */
export interface LocalStore extends SeenIdsStore, BalanceStore, OutboxStore {
  /** Writes the new balance and the receipt in one transaction; refuses if the balance moved. */
  commitRedemption(args: {
    balance: Balance;
    previous: Balance | undefined;
    item: OutboxItem;
  }): Promise<void>;
}

/**
 * The issuer's data the device checks against: the trust bundle and one copy of each status list
 * (by URL). `./refresh` keeps it current.
 */
export interface TrustDataStore {
  getTrust(): Promise<StoredTrustBundle | undefined>;
  putTrust(trust: StoredTrustBundle): Promise<void>;
  getStatusLists(): Promise<StatusListCache[]>;
  /** Replaces the copy held for `list.url`. */
  putStatusList(list: StatusListCache): Promise<void>;
}

/** Raised by `commitRedemption` when another hand-over changed the balance in between. */
export class BalanceConflictError extends Error {
  readonly code = "ERR_BALANCE_CONFLICT" as const;
  constructor() {
    super("The balance changed while recording; check again");
    this.name = "BalanceConflictError";
  }
}

/**
 * An in-memory `LocalStore` and `TrustDataStore` (tests, benchmark, and a fallback where
 * IndexedDB is missing).
 *
 * @example
 * const store = createMemoryStore();
 * await store.markSeen("urn:uuid:1", Date.now() + 120_000); // true
 */
export function createMemoryStore(): LocalStore & TrustDataStore & HandOverFeedStore {
  const seen = new Map<string, number>();
  const balances = new Map<string, Balance>();
  const outbox = new Map<string, OutboxItem>();
  const lists = new Map<string, StatusListCache>();
  let trust: StoredTrustBundle | undefined;
  let feedCursor: string | undefined;
  return {
    async getHandOverCursor() {
      return feedCursor;
    },
    async mergeHandOvers(items, cursor) {
      for (const h of items) {
        const next = mergeHandOver(balances.get(h.entitlement), h);
        if (next) balances.set(h.entitlement, Balance.parse(next));
      }
      feedCursor = cursor;
    },
    async getTrust() {
      return trust && structuredClone(trust);
    },
    async putTrust(t) {
      trust = structuredClone(t);
    },
    async getStatusLists() {
      return [...lists.values()];
    },
    async putStatusList(l) {
      lists.set(l.url, l);
    },
    async hasSeen(id) {
      return seen.has(id);
    },
    async markSeen(id, expiresAt) {
      if (seen.has(id)) return false;
      seen.set(id, expiresAt);
      return true;
    },
    async prune(now) {
      for (const [id, exp] of seen) if (exp < now) seen.delete(id);
    },
    async getBalance(entitlement) {
      const b = balances.get(entitlement);
      return b ? structuredClone(b) : undefined;
    },
    async listOutbox() {
      return [...outbox.values()]
        .map((i) => structuredClone(i))
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
    async putOutbox(item) {
      outbox.set(item.id, structuredClone(OutboxItem.parse(item)));
    },
    async commitRedemption({ balance, previous, item }) {
      const current = balances.get(balance.entitlement);
      if ((current?.receipts.length ?? 0) !== (previous?.receipts.length ?? 0))
        throw new BalanceConflictError();
      balances.set(balance.entitlement, structuredClone(Balance.parse(balance)));
      outbox.set(item.id, structuredClone(OutboxItem.parse(item)));
    },
  };
}
