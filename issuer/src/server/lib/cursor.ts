/**
 * Keyset cursors for the console's paged lists: the last row's sort key, carried in the URL as
 * opaque base64url JSON and read back through a zod schema (a damaged cursor starts from the top).
 */
import { z } from "zod";

/**
 * A cursor for the URL.
 *
 * @example
 * encodeCursor({ id: "0190…" }); // "eyJpZCI6IjAxOTAuLi4ifQ"
 */
export function encodeCursor(key: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * The key a cursor carries, or null when there is none or it does not fit the schema.
 *
 * @example
 * decodeCursor(url.searchParams.get("after"), z.object({ id: z.string() })); // { id: "0190…" } | null
 */
export function decodeCursor<T extends z.ZodType>(cursor: string | null | undefined, schema: T): z.infer<T> | null {
  if (!cursor || cursor.length > 1000) return null;
  try {
    const r = schema.safeParse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

/** One page of a keyset-paged list: its rows and the cursor of the next page (null: last page). */
export interface Page<T> {
  rows: T[];
  next: string | null;
}

/**
 * Cuts `fetched` (read with `size + 1` rows) to a page, with the next page's cursor from its last row.
 *
 * @example
 * const page = toPage(rows, 50, (r) => ({ id: r.id }));
 */
export function toPage<T>(fetched: T[], size: number, keyOf: (row: T) => Record<string, string | number>): Page<T> {
  const rows = fetched.slice(0, size);
  return { rows, next: fetched.length > size && rows.length ? encodeCursor(keyOf(rows[rows.length - 1]!)) : null };
}
