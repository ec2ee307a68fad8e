/**
 * Reads a pasted or uploaded list of beneficiary references: one per line, or a small CSV export
 * (a CRVS death list, a review sheet) whose header names the reference column.
 */

/** Same shape as beneficiary references everywhere else (bulk-change-status.ts). */
const REF = /^[A-Za-z0-9_-]{4,40}$/;
const REF_HEADERS = ["ref", "beneficiary_ref", "beneficiaryref", "beneficiary", "reference", "card", "card_no", "haki_ref"];

export interface RefList {
  /** Distinct references, in the order first seen. */
  refs: string[];
  /** Lines that hold something that is not a reference (1-based line numbers of the text). */
  invalid: { line: number; value: string }[];
  /** How many lines repeated a reference already listed. */
  duplicates: number;
}

function cells(line: string, sep: string | null): string[] {
  const parts = sep ? line.split(sep) : [line];
  return parts.map((c) => c.trim().replace(/^"(.*)"$/, "$1").trim());
}

/**
 * One reference per line, or a CSV (comma, semicolon or tab) whose header has a column named
 * ref / beneficiary_ref / reference (else its first column). Blank lines are ignored.
 *
 * @example
 * parseRefList("beneficiary_ref,date_of_death\nHK-7M2Q9XK4TB,2027-03-01\n");
 * // { refs: ["HK-7M2Q9XK4TB"], invalid: [], duplicates: 0 }
 */
export function parseRefList(text: string): RefList {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== "") ?? "";
  const sep = [",", ";", "\t"].find((s) => first.includes(s)) ?? null;
  let column = 0;
  let start = 0;
  const header = cells(first, sep).map((c) => c.toLowerCase().replace(/[\s-]+/g, "_"));
  const named = header.findIndex((h) => REF_HEADERS.includes(h));
  if (named >= 0 || (sep && !REF.test(cells(first, sep)[0] ?? ""))) {
    // A header line: skip it.
    column = Math.max(named, 0);
    start = lines.indexOf(first) + 1;
  }
  const seen = new Set<string>();
  const out: RefList = { refs: [], invalid: [], duplicates: 0 };
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    const value = cells(line, sep)[column] ?? "";
    if (!REF.test(value)) {
      out.invalid.push({ line: i + 1, value: value.slice(0, 60) });
      continue;
    }
    if (seen.has(value)) out.duplicates++;
    else {
      seen.add(value);
      out.refs.push(value);
    }
  }
  return out;
}
