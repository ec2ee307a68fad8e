/**
 * The statements bulk issuance runs a million times over, written once for both databases: one
 * joined read of a page of pending entitlements, one multi-row write of a signed page, the job's
 * lease renewal, and the shared counters (status positions, signing chunks, flags). Through
 * Prisma's model API the same work cost a query per row, and Prisma's query compiler about 10 µs
 * per bound value, more than the signature itself.
 */
import { DbError } from "../errors";
import type { BulkSql, SqlDialect, Statement } from "./types";

/** What signing needs of one pending entitlement and its beneficiary. */
export interface SignRow {
  id: string;
  statusList: number;
  statusIndex: number;
  /** `registryIdHash` and the sealed `identityFacts` serve programmes that bind paper cards to national IDs. */
  beneficiary: { ref: string; displayName: string | null; area: string | null; registryIdHash: string; identityFacts: string | null };
}

/** Where to read pending entitlements of a cycle: by id (after, upto, ascending) or by status position. */
export type PendingFilter =
  | { kind: "ids"; after?: string | null; upto?: string | null }
  | { kind: "positions"; list: number; fromIndex: number; toIndex: number };

/** Counts come back as bigint (SQLite), text (PostgreSQL bigint) or number: always a number here. */
const num = (v: number | bigint | string): number => Number(v);

/**
 * Reads up to `limit` pending entitlements of a cycle with the beneficiary fields a credential
 * carries, in one query.
 *
 * @example
 * const page = await selectPending(bulk, { cycleId, filter: { kind: "ids", after: null }, limit: 1000 });
 */
export async function selectPending(
  db: BulkSql,
  args: { cycleId: string; filter: PendingFilter; limit: number },
): Promise<SignRow[]> {
  const p = db.params();
  const where = [`e."cycleId" = ${p.add(args.cycleId)}`, `e."status" = 'pending'`];
  let order = `e."id"`;
  const f = args.filter;
  if (f.kind === "ids") {
    if (f.after) where.push(`e."id" > ${p.add(f.after)}`);
    if (f.upto) where.push(`e."id" <= ${p.add(f.upto)}`);
  } else {
    where.push(
      `e."statusList" = ${p.add(f.list)}`,
      `e."statusIndex" >= ${p.add(f.fromIndex)}`,
      `e."statusIndex" < ${p.add(f.toIndex)}`,
    );
    order = `e."statusIndex"`;
  }
  const sql =
    `SELECT e."id", e."statusList", e."statusIndex", b."ref", b."displayName", b."area", b."registryIdHash", b."identityFacts" ` +
    `FROM "Entitlement" e JOIN "Beneficiary" b ON b."id" = e."beneficiaryId" ` +
    `WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ${p.add(args.limit)}`;
  const rows = await db.query<{
    id: string;
    statusList: number | bigint;
    statusIndex: number | bigint;
    ref: string;
    displayName: string | null;
    area: string | null;
    registryIdHash: string;
    identityFacts: string | null;
  }>(sql, p.values);
  return rows.map((r) => ({
    id: r.id,
    statusList: num(r.statusList),
    statusIndex: num(r.statusIndex),
    beneficiary: { ref: r.ref, displayName: r.displayName, area: r.area, registryIdHash: r.registryIdHash, identityFacts: r.identityFacts },
  }));
}

/**
 * The beneficiaries in [from, to] (ids) that already have an entitlement in a cycle: only a page
 * redone after a crash has any, and a range is cheaper to look up than a list.
 *
 * @example
 * const have = await selectEntitled(bulk, { cycleId, from: page[0].id, to: last });
 */
export async function selectEntitled(
  db: BulkSql,
  args: { cycleId: string; from: string; to: string },
): Promise<Set<string>> {
  const p = db.params();
  const rows = await db.query<{ beneficiaryId: string }>(
    `SELECT "beneficiaryId" FROM "Entitlement" WHERE "cycleId" = ${p.add(args.cycleId)} ` +
      `AND "beneficiaryId" >= ${p.add(args.from)} AND "beneficiaryId" <= ${p.add(args.to)}`,
    p.values,
  );
  return new Set(rows.map((r) => r.beneficiaryId));
}

/**
 * The write of a signed page, one statement. Only rows still pending change, so a page signed
 * twice (a crash, two workers meeting) is stored once; the statement's count says how many changed.
 *
 * @example
 * const [stored] = await bulk.batch([storeSignedStatement(bulk, page, jwts, new Date())]);
 */
export function storeSignedStatement(sql: SqlDialect, page: { id: string }[], jwts: string[], at: Date): Statement {
  if (page.length === 0 || jwts.length !== page.length)
    throw new DbError("ERR_BULK_INPUT", "storeSignedStatement: one credential per entitlement, at least one");
  const p = sql.params();
  const values = page.map((e, i) => `(${p.add(e.id)}, ${p.add(jwts[i])})`).join(", ");
  const issuedAt = p.date(at);
  return {
    sql:
      `WITH v("id", "credential") AS (VALUES ${values}) ` +
      `UPDATE "Entitlement" SET "status" = 'issued', "credential" = v."credential", "issuedAt" = ${issuedAt} ` +
      `FROM v WHERE "Entitlement"."id" = v."id" AND "Entitlement"."status" = 'pending'`,
    params: p.values,
  };
}

/**
 * The job's progress (and, with `workerId`, its lease renewal: no change when another worker holds it).
 *
 * @example
 * const [, held] = await bulk.batch([store, progressStatement(bulk, { jobId, workerId, add: 1000, at })]);
 */
export function progressStatement(
  sql: SqlDialect,
  args: { jobId: string; workerId?: string; add: number; at: Date; cursor?: string; total?: number },
): Statement {
  const p = sql.params();
  const set = [`"done" = "done" + ${p.add(args.add)}`];
  if (args.workerId) set.push(`"heartbeatAt" = ${p.date(args.at)}`);
  if (args.cursor !== undefined) set.push(`"cursor" = ${p.add(args.cursor)}`);
  if (args.total !== undefined) set.push(`"total" = ${p.add(args.total)}`);
  const where = [`"id" = ${p.add(args.jobId)}`, `"state" = 'running'`];
  if (args.workerId) where.push(`"workerId" = ${p.add(args.workerId)}`);
  return { sql: `UPDATE "IssuanceJob" SET ${set.join(", ")} WHERE ${where.join(" AND ")}`, params: p.values };
}

/**
 * The first and last global status positions of a cycle's entitlements (null when it has none);
 * list 1 starts at position 0. Chunks of positions are how several workers share one cycle.
 *
 * @example
 * const span = await positionSpan(bulk, cycleId, 131_072);
 */
export async function positionSpan(
  db: BulkSql,
  cycleId: string,
  listSize: number,
): Promise<{ first: number; last: number } | null> {
  const p = db.params();
  const pos = `("statusList" - 1) * ${Math.trunc(listSize)} + "statusIndex"`;
  const [row] = await db.query<{ first: number | string | null; last: number | string | null }>(
    `SELECT MIN(${pos}) AS "first", MAX(${pos}) AS "last" FROM "Entitlement" WHERE "cycleId" = ${p.add(cycleId)}`,
    p.values,
  );
  if (!row || row.first === null || row.last === null) return null;
  return { first: num(row.first), last: num(row.last) };
}

/**
 * Takes the next number from a counter below `limit`, atomically (UPDATE ... RETURNING): of two
 * workers asking at once, each gets its own number. Null when the counter is missing or used up.
 *
 * @example
 * const k = await takeNumber(bulk, "issuance-chunk:job-1", 1000); // 0, then 1, ...
 */
export async function takeNumber(db: BulkSql, name: string, limit: number): Promise<number | null> {
  const p = db.params();
  const rows = await db.query<{ value: number | string }>(
    `UPDATE "Counter" SET "value" = "value" + 1 WHERE "name" = ${p.add(name)} AND "value" < ${p.add(limit)} RETURNING "value"`,
    p.values,
  );
  return rows[0] ? num(rows[0].value) - 1 : null;
}

/**
 * The writes of one prepare page: reserve `page.length` status positions from the shared counter
 * and insert the entitlements at those positions, pending, in one transaction (give both to
 * `batch`). A beneficiary who already has an entitlement in the cycle is skipped by the unique key.
 *
 * @example
 * await bulk.batch(prepareStatements(bulk, { cycleId, page, at: new Date(), listSize: 131_072 }));
 */
export function prepareStatements(
  sql: SqlDialect,
  args: { cycleId: string; page: { id: string; beneficiaryId: string }[]; at: Date; listSize: number },
): Statement[] {
  const n = args.page.length;
  const size = Math.trunc(args.listSize);
  const reserve: Statement = {
    sql: `UPDATE "Counter" SET "value" = "value" + ${n} WHERE "name" = 'status-index'`,
    params: [],
  };
  const p = sql.params();
  const values = args.page.map((e, k) => `(${p.add(e.id)}, ${p.add(e.beneficiaryId)}, ${k})`).join(", ");
  const cycle = p.add(args.cycleId);
  const createdAt = p.date(args.at);
  // The counter now stands after the reserved block: position = value - n + k.
  const pos = `(c."value" - ${n} + v."k")`;
  const insert: Statement = {
    sql:
      `WITH v("id", "beneficiaryId", "k") AS (VALUES ${values}) ` +
      `INSERT INTO "Entitlement" ("id", "cycleId", "beneficiaryId", "status", "statusList", "statusIndex", "createdAt") ` +
      `SELECT v."id", ${cycle}, v."beneficiaryId", 'pending', ${pos} / ${size} + 1, ${pos} % ${size}, ${createdAt} ` +
      `FROM v CROSS JOIN "Counter" c WHERE c."name" = 'status-index' ` +
      `ON CONFLICT ("cycleId", "beneficiaryId") DO NOTHING`,
    params: p.values,
  };
  return [reserve, insert];
}

/**
 * Reserves `n` consecutive status positions on their own (autocommit): returns the first. A job
 * that signs before it inserts reserves first; if it dies before the insert, those positions stay
 * unused (a gap in the list, never a position given twice).
 *
 * @example
 * const first = await reservePositions(bulk, 2000); // positions first .. first + 1999
 */
export async function reservePositions(db: BulkSql, n: number): Promise<number> {
  const rows = await db.query<{ value: number | string }>(
    `UPDATE "Counter" SET "value" = "value" + ${Math.trunc(n)} WHERE "name" = 'status-index' RETURNING "value"`,
    [],
  );
  if (!rows[0]) throw new DbError("ERR_BULK_COUNTER_MISSING", "The status-index counter is missing: run the migrations.");
  return num(rows[0].value) - n;
}

/** One entitlement signed before it was ever stored: its row goes in already issued. */
export interface SignedRow {
  id: string;
  beneficiaryId: string;
  statusList: number;
  statusIndex: number;
  credential: string;
}

/**
 * The insert of entitlements signed before they were stored, 1,000 rows a statement. A beneficiary
 * who already has an entitlement in the cycle (a page redone after a crash, a worker that lost its
 * lease) keeps it: the unique key skips the row, so the counts say how many were stored.
 *
 * @example
 * await bulk.batch(insertSignedStatements(bulk, { cycleId, rows, at: new Date() }));
 */
export function insertSignedStatements(
  sql: SqlDialect,
  args: { cycleId: string; rows: SignedRow[]; at: Date },
): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < args.rows.length; i += 1000) {
    const p = sql.params();
    // Placeholders in text order (SQLite's "?" are positional): the values first, then the rest.
    const values = args.rows
      .slice(i, i + 1000)
      .map(
        (r) =>
          `(${p.add(r.id)}, ${p.add(r.beneficiaryId)}, ${p.int(r.statusList)}, ${p.int(r.statusIndex)}, ${p.add(r.credential)})`,
      )
      .join(", ");
    const cycle = p.add(args.cycleId);
    const issuedAt = p.date(args.at);
    const createdAt = p.date(args.at);
    out.push({
      sql:
        `WITH v("id", "beneficiaryId", "statusList", "statusIndex", "credential") AS (VALUES ${values}) ` +
        `INSERT INTO "Entitlement" ("id", "cycleId", "beneficiaryId", "status", "statusList", "statusIndex", "credential", "issuedAt", "createdAt") ` +
        // "WHERE true": SQLite reads ON CONFLICT after a bare SELECT ... FROM as a join's ON.
        `SELECT v."id", ${cycle}, v."beneficiaryId", 'issued', v."statusList", v."statusIndex", v."credential", ${issuedAt}, ${createdAt} FROM v WHERE true ` +
        `ON CONFLICT ("cycleId", "beneficiaryId") DO NOTHING`,
      params: p.values,
    });
  }
  return out;
}

/**
 * Sets a named counter to a value, creating it if needed (flags shared by a job's workers).
 *
 * @example
 * await bulk.batch([setCounterStatement(bulk, "issuance-hungry:job-1", 1)]);
 */
export function setCounterStatement(sql: SqlDialect, name: string, value: number): Statement {
  const p = sql.params();
  return {
    sql: `INSERT INTO "Counter" ("name", "value") VALUES (${p.add(name)}, ${p.add(value)}) ON CONFLICT ("name") DO UPDATE SET "value" = ${p.add(value)}`,
    params: p.values,
  };
}

/**
 * Reads a named counter (null when it does not exist).
 *
 * @example
 * const hungry = (await readCounter(bulk, "issuance-hungry:job-1")) === 1;
 */
export async function readCounter(db: BulkSql, name: string): Promise<number | null> {
  const p = db.params();
  const [row] = await db.query<{ value: number | string }>(`SELECT "value" FROM "Counter" WHERE "name" = ${p.add(name)}`, p.values);
  return row ? num(row.value) : null;
}

/** Counter names that publish the span of status positions a job has stored so far. */
export const spanCounters = (jobId: string) => ({
  first: `issuance-first:${jobId}`,
  last: `issuance-last:${jobId}`,
});

/**
 * Publishes a stored page's positions as the job's span (first set once, last moved on), in the
 * page's own transaction, so a helper learns what is ready from two key lookups instead of a scan
 * of the cycle. `reserved` (the pending path) reads the page's block off the status-index counter
 * it was just reserved from, in the same transaction.
 *
 * @example
 * await bulk.batch([...insertPage, ...spanStatements(bulk, jobId, { reserved: 2000 })]);
 */
export function spanStatements(
  sql: SqlDialect,
  jobId: string,
  page: { reserved: number } | { first: number; last: number },
): Statement[] {
  const names = spanCounters(jobId);
  if ("reserved" in page) {
    const n = Math.trunc(page.reserved);
    const from = (expr: string, name: string, update: boolean): Statement => {
      const p = sql.params();
      return {
        sql:
          `INSERT INTO "Counter" ("name", "value") SELECT ${p.add(name)}, ${expr} FROM "Counter" WHERE "name" = 'status-index' ` +
          (update ? `ON CONFLICT ("name") DO UPDATE SET "value" = excluded."value"` : `ON CONFLICT ("name") DO NOTHING`),
        params: p.values,
      };
    };
    return [from(`"value" - ${n}`, names.first, false), from(`"value" - 1`, names.last, true)];
  }
  const p = sql.params();
  return [
    {
      sql: `INSERT INTO "Counter" ("name", "value") VALUES (${p.add(names.first)}, ${p.add(page.first)}) ON CONFLICT ("name") DO NOTHING`,
      params: p.values,
    },
    setCounterStatement(sql, names.last, page.last),
  ];
}

/**
 * The span a job's prepare pages published (null before the first page, or for a job prepared
 * before spans were published: use `positionSpan` then).
 *
 * @example
 * const span = (await preparedSpan(bulk, jobId)) ?? (await positionSpan(bulk, cycleId, 131_072));
 */
export async function preparedSpan(db: BulkSql, jobId: string): Promise<{ first: number; last: number } | null> {
  const names = spanCounters(jobId);
  const [first, last] = [await readCounter(db, names.first), await readCounter(db, names.last)];
  return first === null || last === null ? null : { first, last };
}
