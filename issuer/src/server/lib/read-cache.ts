/**
 * Figures that cost a scan of a million rows (a cycle's counts by area and state, the dashboard's
 * series) are computed once and kept for a while, so a page view never pays the scan. A figure
 * that computes quickly (a small programme) is computed on every read, so it is always current; a
 * slow one is kept for a while and, once old, answered from the last result while it is computed
 * again in the background (stale while revalidate), and the page says as of when. A change made through this process marks the figures
 * it affects stale at once.
 */
import type { ServerContext } from "@/server/context";
import { processWideMap } from "@/server/lib/process-wide";

/** A figure computed at most this long ago is served without asking the database. */
export const READ_CACHE_MAX_AGE_MS = 30_000;
/** A figure that took less than this to compute is computed again on every read (always current). */
export const READ_CACHE_INLINE_MS = 250;

interface Entry<T> {
  value: T;
  at: Date;
  tookMs: number;
  stale: boolean;
  /** What the figure was computed for (`ReadOptions.version`). */
  version?: string;
  refreshing?: Promise<T>;
}

/** What a cached read answers: the value and when it was computed. */
export interface Cached<T> {
  value: T;
  at: Date;
}

// Process-wide (see process-wide.ts): a console action's markStale reaches the pages' figures.
const storeOf = (ctx: ServerContext) => processWideMap<Entry<unknown>>("read-cache", ctx);

async function compute<T>(ctx: ServerContext, key: string, fn: () => Promise<T>, version: string | undefined): Promise<Entry<T>> {
  const started = performance.now();
  const value = await fn();
  // A read that names no version computed what is there now: as current as the version last named.
  const entry: Entry<T> = { value, at: ctx.now(), tookMs: performance.now() - started, stale: false, version: version ?? storeOf(ctx).get(key)?.version };
  storeOf(ctx).set(key, entry as Entry<unknown>);
  return entry;
}

export interface ReadOptions {
  /** How long a figure is served from memory (READ_CACHE_MAX_AGE_MS when not given). */
  maxAgeMs?: number;
  /**
   * Keep the figure for its max age even when it computes quickly (it is then computed again within
   * the read once marked stale or old). For figures over the whole registry or a whole cycle that
   * every change moving them marks stale: at a million people they take 100-200 ms, under the
   * "quick" line, and were paid on every page view (the people page's area list: 130 ms of a
   * 150 ms page on PostgreSQL).
   */
  keep?: boolean;
  /**
   * What the figure depends on that the reader can see cheaply (a cycle's state and its issuance
   * job's): a figure computed for another version is never served, not even while it is computed
   * again, so a page that says "Issued" never shows the counts from before the issuance.
   */
  version?: string;
}

/**
 * The cached value of `key`, computed by `fn` when missing or stale (see the module comment).
 *
 * @example
 * const { value: tally, at } = await readThrough(ctx, `cycle-tally:${id}`, () => countCycle(ctx, id));
 */
export async function readThrough<T>(ctx: ServerContext, key: string, fn: () => Promise<T>, options: ReadOptions = {}): Promise<Cached<T>> {
  const store = storeOf(ctx);
  const found = store.get(key) as Entry<T> | undefined;
  const hit = found && (options.version === undefined || found.version === options.version) ? found : undefined;
  const old = hit ? hit.stale || ctx.now().getTime() - hit.at.getTime() > (options.maxAgeMs ?? READ_CACHE_MAX_AGE_MS) : true;
  if (hit && options.keep && !old) return { value: hit.value, at: hit.at };
  // Cheap figures (a small programme) are never served from memory: always current.
  if (!hit || hit.tookMs < READ_CACHE_INLINE_MS) {
    const e = await compute(ctx, key, fn, options.version);
    return { value: e.value, at: e.at };
  }
  if (!old) return { value: hit.value, at: hit.at };
  if (!hit.refreshing) {
    hit.refreshing = compute(ctx, key, fn, options.version)
      .then((e) => e.value)
      .catch((error: unknown) => {
        console.error(`issuer: refreshing ${key} failed`, error);
        hit.refreshing = undefined;
        return hit.value;
      });
  }
  return { value: hit.value, at: hit.at };
}

/**
 * Marks every cached figure whose key starts with one of `prefixes` stale (after a change).
 *
 * @example
 * markStale(ctx, `cycle-tally:${cycleId}`, "dashboard");
 */
export function markStale(ctx: ServerContext, ...prefixes: string[]): void {
  for (const [key, entry] of storeOf(ctx)) if (prefixes.some((p) => key.startsWith(p))) entry.stale = true;
}
