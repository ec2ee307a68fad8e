/**
 * Request limits per client address for anonymous endpoints (OpenID4VCI token, nonce, credential,
 * notification; the OpenID4VP relay), shared by every issuer instance through the database.
 *
 * A fixed window per (endpoint, address): each instance counts what it let through in memory and
 * adds its counts to the window's row every `flushMs` (one upsert for all addresses seen
 * meanwhile), reading back the total every instance has added. A request is refused once the
 * total known here plus what this instance has not written yet reaches the limit. So the database
 * sees a few statements a second however busy the endpoints are, and several instances together
 * overshoot a limit by at most what they let through in one flush interval. Rows of past windows
 * are deleted about once a minute.
 *
 * The counts go through the direct driver connection of the delivery endpoints (`@haki/db/bulk`),
 * not Prisma: through Prisma each write cost its query compiler, and on SQLite Prisma's connection
 * runs `synchronous = FULL` with the default checkpoint size, so every count write synced and
 * checkpointed the WAL the hot path had written (10% of the credential endpoint's CPU under load).
 * One statement text per database whatever the number of addresses (a JSON array on SQLite, arrays
 * on PostgreSQL), so it stays prepared next to the hot path's statements.
 */
import { isIP } from "node:net";
import type { BulkSql } from "@haki/db/bulk";
import { deliverySql } from "@/server/delivery/delivery-sql";
import { ApiError } from "./errors";

export interface RateLimitVerdict {
  ok: boolean;
  /** When refused: seconds until the window ends (the `Retry-After` header). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one request of `address` at `scope` and says whether it may go on. */
  check(scope: string, address: string): RateLimitVerdict;
  /** Writes the counts not written yet (tests, shutdown). */
  flush(): Promise<void>;
}

type Entry = { key: string; windowEndsAt: number; shared: number; unsent: number; sending: number };

const PRUNE_EVERY_MS = 60_000;
const ROWS_PER_STATEMENT = 500;

/**
 * Adds counts to their windows' rows (created when missing) and returns each row's new total. The
 * rows travel as one JSON array (SQLite) or three arrays (PostgreSQL): one statement text for any
 * number of rows.
 */
function addCounts(sql: BulkSql, rows: { key: string; windowEndsAt: Date; n: number }[]): Promise<{ key: string; count: number | bigint }[]> {
  const p = sql.params();
  const ends = rows.map((r) => boundDate(sql, r.windowEndsAt));
  const upsert = `ON CONFLICT ("key") DO UPDATE SET "count" = "RateLimitWindow"."count" + excluded."count" RETURNING "key", "count"`;
  if (sql.provider === "postgresql") {
    const keys = p.add(rows.map((r) => r.key));
    const windows = p.add(ends);
    const counts = p.add(rows.map((r) => r.n));
    return sql.query(
      `INSERT INTO "RateLimitWindow" ("key", "windowEndsAt", "count") SELECT * FROM unnest(${keys}::text[], ${windows}::timestamp(3)[], ${counts}::int[]) ${upsert}`,
      p.values,
    );
  }
  const json = p.add(JSON.stringify(rows.map((r, i) => [r.key, ends[i], r.n])));
  // `WHERE true`: SQLite's parser needs it between a SELECT and ON CONFLICT.
  return sql.query(
    `INSERT INTO "RateLimitWindow" ("key", "windowEndsAt", "count") SELECT "value" ->> 0, "value" ->> 1, "value" ->> 2 FROM json_each(${json}) WHERE true ${upsert}`,
    p.values,
  );
}

/** A date as the dialect binds one (the form Prisma stores and reads back). */
function boundDate(sql: BulkSql, at: Date): unknown {
  const p = sql.params();
  p.date(at);
  return p.values[0];
}

/** Deletes the rows of windows that ended before `now`. */
async function pruneWindows(sql: BulkSql, now: Date): Promise<void> {
  const p = sql.params();
  await sql.batch([{ sql: `DELETE FROM "RateLimitWindow" WHERE "windowEndsAt" < ${p.date(now)}`, params: p.values }]);
}

/**
 * A limiter writing its counts through `sql` (a direct driver connection kept open by its owner).
 *
 * @example
 * const limiter = createRateLimiter(deliverySql(ctx), { limit: 300, windowMs: 60_000, now: () => new Date() });
 * const verdict = limiter.check("token", clientAddress(request, 1));
 */
export function createRateLimiter(sql: BulkSql, options: { limit: number; windowMs: number; flushMs?: number; now: () => Date }): RateLimiter {
  const flushMs = options.flushMs ?? 250;
  const entries = new Map<string, Entry>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let flushing: Promise<void> = Promise.resolve();
  let prunedAt = 0;

  async function write(): Promise<void> {
    timer = null;
    const nowMs = options.now().getTime();
    const batch: { entry: Entry; n: number }[] = [];
    for (const entry of entries.values()) {
      if (entry.unsent > 0) {
        batch.push({ entry, n: entry.unsent });
        entry.sending += entry.unsent;
        entry.unsent = 0;
      } else if (entry.windowEndsAt <= nowMs && entry.sending === 0) entries.delete(entry.key);
    }
    try {
      for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
        const part = batch.slice(i, i + ROWS_PER_STATEMENT);
        const rows = await addCounts(sql, part.map(({ entry, n }) => ({ key: entry.key, windowEndsAt: new Date(entry.windowEndsAt), n })));
        const totals = new Map(rows.map((r) => [r.key, Number(r.count)]));
        for (const { entry } of part) entry.shared = Math.max(entry.shared, totals.get(entry.key) ?? 0);
      }
    } catch (error) {
      // The counts stay with this instance (it keeps limiting on its own) and go with the next write.
      for (const { entry, n } of batch) entry.unsent += n;
      console.error("issuer: writing rate-limit counts failed", error);
    } finally {
      for (const { entry, n } of batch) entry.sending -= n;
    }
    if (nowMs - prunedAt > PRUNE_EVERY_MS) {
      prunedAt = nowMs;
      await pruneWindows(sql, new Date(nowMs)).catch((e: unknown) => console.error("issuer: pruning rate-limit windows failed", e));
    }
  }

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      flushing = flushing.then(write);
    }, flushMs);
    timer.unref?.();
  };

  return {
    check(scope, address) {
      const nowMs = options.now().getTime();
      const start = Math.floor(nowMs / options.windowMs) * options.windowMs;
      const key = `${scope}|${address}|${start / 1000}`;
      let entry = entries.get(key);
      if (!entry) entries.set(key, (entry = { key, windowEndsAt: start + options.windowMs, shared: 0, unsent: 0, sending: 0 }));
      // `shared` already holds what this instance wrote; `sending` is on its way there.
      if (entry.shared + entry.sending + entry.unsent >= options.limit) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((entry.windowEndsAt - nowMs) / 1000)) };
      }
      entry.unsent++;
      schedule();
      return { ok: true, retryAfterSeconds: 0 };
    },
    async flush() {
      if (timer) clearTimeout(timer);
      flushing = flushing.then(write);
      await flushing;
    },
  };
}

/**
 * The client's address as the limit counts it: from `X-Forwarded-For`, the entry `trustedHops`
 * from the right (what the nearest trusted proxy saw; Next adds the socket's address when no proxy
 * set the header). IPv6 addresses count by their /64 (one subscriber's network), IPv4-mapped IPv6
 * as IPv4. Without a trusted proxy (`trustedHops` 0) a client that sends its own header chooses
 * the address it is counted under: run the issuer behind a proxy on the internet.
 *
 * @example
 * clientAddress(new Request(url, { headers: { "x-forwarded-for": "203.0.113.7, 10.0.0.2" } }), 1); // "10.0.0.2"
 */
export function clientAddress(request: Request, trustedHops: number): string {
  const chain = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const raw = chain[chain.length - Math.max(1, trustedHops)] ?? chain[0] ?? "unknown";
  return normaliseAddress(raw);
}

function normaliseAddress(raw: string): string {
  let a = raw.replace(/^\[|\](:\d+)?$/g, "");
  if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(a)) a = a.replace(/:\d+$/, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) return mapped[1]!;
  if (isIP(a) === 6) return `${expandIpv6(a).slice(0, 4).join(":")}::/64`;
  return isIP(a) === 4 ? a : "unknown";
}

function expandIpv6(a: string): string[] {
  const [head, tail] = a.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => "0");
  return [...left, ...zeros, ...right].map((g) => g.replace(/^0+(?=.)/, ""));
}

/** A limit of requests per window and client address. */
export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** What `enforceRateLimit` needs of the server context. */
export interface RateLimitContext {
  env: { HAKI_TRUSTED_PROXY_HOPS: number; DATABASE_URL: string };
  now(): Date;
}

/** One database-shared limiter per context and rule (the relay's buckets each have their own rule). */
const ruleLimiters = new WeakMap<RateLimitContext, Map<string, RateLimiter>>();

function limiterFor(ctx: RateLimitContext, rule: RateLimit): RateLimiter {
  let byRule = ruleLimiters.get(ctx);
  if (!byRule) ruleLimiters.set(ctx, (byRule = new Map()));
  const ruleKey = `${rule.limit}/${rule.windowMs}`;
  let limiter = byRule.get(ruleKey);
  if (!limiter) byRule.set(ruleKey, (limiter = createRateLimiter(deliverySql(ctx), { ...rule, now: () => ctx.now() })));
  return limiter;
}

/**
 * Counts one call of the request's client address in `bucket`; throws `ERR_TOO_MANY_ATTEMPTS`
 * (429) past the rule's limit. The count is shared with every instance through the database.
 *
 * @example
 * enforceRateLimit(ctx, "relay-answer", request, { limit: 20, windowMs: 60_000 });
 */
export function enforceRateLimit(ctx: RateLimitContext, bucket: string, request: Request, rule: RateLimit): void {
  const verdict = limiterFor(ctx, rule).check(bucket, clientAddress(request, ctx.env.HAKI_TRUSTED_PROXY_HOPS));
  if (!verdict.ok) {
    throw new ApiError("ERR_TOO_MANY_ATTEMPTS", `Too many requests from this address; try again in ${verdict.retryAfterSeconds} s.`, {
      details: { retryAfterSeconds: verdict.retryAfterSeconds },
    });
  }
}

/**
 * Writes the counts of this context's `enforceRateLimit` limiters not written yet (tests, shutdown).
 *
 * @example
 * await flushRateLimits(ctx);
 */
export async function flushRateLimits(ctx: RateLimitContext): Promise<void> {
  await Promise.all([...(ruleLimiters.get(ctx)?.values() ?? [])].map((l) => l.flush()));
}

/**
 * Forgets every window of this context: in memory and in the database (tests).
 *
 * @example
 * await resetRateLimits(ctx);
 */
export async function resetRateLimits(ctx: RateLimitContext): Promise<void> {
  await flushRateLimits(ctx);
  ruleLimiters.get(ctx)?.clear();
  await deliverySql(ctx).batch([{ sql: `DELETE FROM "RateLimitWindow"`, params: [] }]);
}
