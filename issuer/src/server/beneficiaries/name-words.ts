/**
 * Which word of a name search walks the name-token index. A search for "abdou habs" finds people
 * with a word starting "abdou" and another starting "habs": one word walks its index range in
 * order (the page's order), the others are checked per person. Walking the word fewer people carry
 * reads the fewest rows (at a million people, "abdou" walked 20,000 rows to find that few of them
 * were Habsatou; "habs" walks a few hundred); the length of a word says little about that, so each
 * word's range is counted, up to a cap, on the covering index. A search paged on keeps the word
 * its first page walked, so the pages follow one order.
 */
import { prefixUpperBound } from "@haki/db/search";
import type { DbProvider } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { asNumber, queryRows } from "@/server/lib/sql";

/** Counts stop here: past it, a range is "large" whatever its size (a count costs at most this many index entries). */
export const COUNT_CAP = 5_000;

async function countUpTo(ctx: ServerContext, from: string, where: (p: { add(v: unknown): string }) => string): Promise<number> {
  const [row] = await queryRows<Record<string, unknown>>(ctx, (p) => `SELECT count(*) AS "n" FROM (SELECT 1 FROM ${from} WHERE ${where(p)} LIMIT ${p.add(COUNT_CAP)}) x`);
  return asNumber(row?.n);
}

/** People with a name word starting with `prefix`, up to COUNT_CAP. */
export function countNamePrefix(ctx: ServerContext, prefix: string): Promise<number> {
  return countUpTo(ctx, `"BeneficiaryNameToken"`, (p) => `"token" >= ${p.add(prefix)} AND "token" < ${p.add(prefixUpperBound(prefix))}`);
}

/** People of an area, up to COUNT_CAP. */
export function countArea(ctx: ServerContext, area: string): Promise<number> {
  return countUpTo(ctx, `"Beneficiary"`, (p) => `"area" = ${p.add(area)}`);
}

/**
 * SQL that is true when the person `b` (a "Beneficiary" row) has a name word starting with `word`:
 * their searchName holds the words one space apart, as the token index does. Checked on the row the
 * walk reads anyway, where a look-up in the token index per person cost PostgreSQL 0.4 ms a row
 * when its estimate of the word's range sent it down the wrong index (600 ms for one page).
 *
 * @example
 * where.push(nameHasWordSql(p, "habs")); // (' ' || b."searchName") LIKE '% habs%' ESCAPE '\'
 */
export function nameHasWordSql(p: { add(v: unknown): string }, word: string): string {
  return `(' ' || b."searchName") LIKE ${p.add(`% ${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)} ESCAPE '\\'`;
}

/**
 * Joins `table` (as `alias`) to a walk of the name-token index so that the walk keeps its order and
 * stops after a page: one index look-up per walked row. Planners would otherwise read the whole
 * table once the typed words look selective: PostgreSQL hashed every person (a sequential scan of a
 * million rows, 550-650 ms) to join 21,000 "wekesa" tokens of which the page needed 26. SQLite keeps
 * the written order under CROSS JOIN; PostgreSQL does not flatten a LATERAL subquery with OFFSET.
 *
 * @example
 * `FROM "BeneficiaryNameToken" t${walkJoin("postgresql", `"Beneficiary"`, "b", `b."id" = t."beneficiaryId"`)}`
 */
export function walkJoin(provider: DbProvider, table: string, alias: string, on: string): string {
  return provider === "sqlite" ? ` CROSS JOIN ${table} ${alias} ON ${on}` : ` CROSS JOIN LATERAL (SELECT * FROM ${table} ${alias} WHERE ${on} OFFSET 0) ${alias}`;
}

export interface NameWalk {
  /** The word that walks its index range. */
  lead: string;
  /** The words checked per person. */
  rest: string[];
  /** People carrying the lead word, up to COUNT_CAP (null: one word, not counted). */
  leadCount: number | null;
}

/**
 * The words of a search in walking order: the one fewest people carry first, or `keep` (the word
 * an earlier page walked) when it is one of them.
 *
 * @example
 * await orderNameWords(ctx, ["abdou", "habs"]); // { lead: "habs", rest: ["abdou"], leadCount: 412 }
 */
export async function orderNameWords(ctx: ServerContext, words: string[], keep?: string): Promise<NameWalk> {
  if (keep && words.includes(keep)) return { lead: keep, rest: words.filter((w) => w !== keep), leadCount: null };
  if (words.length < 2) return { lead: words[0] ?? "", rest: [], leadCount: null };
  const counts = await Promise.all(words.map((w) => countNamePrefix(ctx, w)));
  const order = words.map((w, i) => ({ w, n: counts[i]! })).sort((a, b) => a.n - b.n || b.w.length - a.w.length);
  return { lead: order[0]!.w, rest: order.slice(1).map((o) => o.w), leadCount: order[0]!.n };
}

/**
 * Whether a name search narrowed to an area should walk the name words first (in page order,
 * checking each person's area) rather than the area's people (then sorting their matches). The
 * word's walk reads about one row per match in the area times the area's share of everyone; the
 * area's, every person of the area. The planners do not weigh this well: SQLite plans before it
 * sees the parameters and started from the area (21,000 people sorted, 370 ms) for a word the
 * index walk answers in 9 ms.
 *
 * @example
 * wordsFirst(412, 5_000); // true
 */
export function wordsFirst(leadCount: number, areaCount: number): boolean {
  return leadCount < COUNT_CAP ? leadCount <= areaCount : areaCount >= COUNT_CAP;
}
