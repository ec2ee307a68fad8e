/**
 * Per-database maps shared by every copy of a module in this process. Next bundles console
 * actions, pages and route handlers apart, each with its own copy of a module: a cache kept in a
 * module-level variable would be one cache per bundle, and a change made by an action would not
 * reach what a page or a route serves. These live on globalThis, keyed by name and by the
 * database client (two issuers, or two test contexts, in one process never share).
 */
import type { ServerContext } from "@/server/context";

type Maps = WeakMap<object, Map<string, unknown>>;
const shared = globalThis as unknown as Record<symbol, Maps | undefined>;

/**
 * The process-wide map called `name` for this context's database.
 *
 * @example
 * const cache = processWideMap<Signed>("status-lists.signed", ctx);
 */
export function processWideMap<V>(name: string, ctx: Pick<ServerContext, "db">): Map<string, V> {
  const maps = (shared[Symbol.for(`haki.${name}`)] ??= new WeakMap());
  let m = maps.get(ctx.db);
  if (!m) maps.set(ctx.db, (m = new Map()));
  return m as Map<string, V>;
}

/**
 * Replaces the map called `name` with an empty one (a fetch that began before keeps the old one).
 *
 * @example
 * resetProcessWideMap("status-lists.signed", ctx);
 */
export function resetProcessWideMap(name: string, ctx: Pick<ServerContext, "db">): void {
  (shared[Symbol.for(`haki.${name}`)] ??= new WeakMap()).set(ctx.db, new Map());
}
