/**
 * The downloadable per-row error report: one CSV line per problem, ready to send back to the
 * registry office.
 */
import { stringify } from "csv-stringify/sync";
import type { RegistryRowError } from "./connector";

export const ERROR_REPORT_HEADER = ["line", "registry_id", "column", "code", "message"] as const;

// A cell starting with = + - @ (or a tab/CR) runs as a formula in spreadsheet programs: neutralise it
// (OWASP CSV injection advice), since registry ids and column names come from the uploaded file.
function safeCell(v: string | number | undefined): string {
  const s = v === undefined ? "" : String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/**
 * Formats errors as CSV lines (with the header when `withHeader`). Works on a page of errors at a
 * time so a large report is streamed, not built whole.
 *
 * @example
 * formatErrorReport([{ line: 3, code: "ERR_ROW_INVALID", column: "hh_size", message: "a whole number" }], { withHeader: true });
 * // "line,registry_id,column,code,message\n3,,hh_size,ERR_ROW_INVALID,a whole number\n"
 */
export function formatErrorReport(errors: Iterable<RegistryRowError>, options: { withHeader?: boolean } = {}): string {
  const rows: string[][] = options.withHeader ? [[...ERROR_REPORT_HEADER]] : [];
  for (const e of errors) {
    rows.push([String(e.line), safeCell(e.registryId), safeCell(e.column), e.code, safeCell(e.message)]);
  }
  return rows.length ? stringify(rows) : "";
}
