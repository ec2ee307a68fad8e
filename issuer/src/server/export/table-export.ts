/**
 * Large lists leave the console as files for finance and auditors: CSV (csv-stringify) and a
 * spreadsheet (ExcelJS's streaming workbook writer), both written page by page from the database
 * with back-pressure, so a million receipts never sit in memory at once. A list is described once
 * (its columns and a source of pages) and written in either format.
 */
import { PassThrough, Readable } from "node:stream";
import { once } from "node:events";
import { stringify as stringifyRows } from "csv-stringify/sync";
import ExcelJS from "exceljs";

/** One column of an exported list. */
export interface ExportColumn<T> {
  header: string;
  value: (row: T) => string | number | null;
  /** Spreadsheet column width in characters. */
  width?: number;
}

/** A list to export: its columns and its rows, a page at a time. */
export interface ExportTable<T> {
  name: string;
  columns: ExportColumn<T>[];
  pages: () => AsyncIterable<T[]>;
}

/** A sheet of plain label / value lines placed before the list in a spreadsheet (totals, the filter used). */
export type ExportSummary = [string, string | number][];

/** Spreadsheet rows per sheet: the format's limit is 1,048,576 rows, the header included. */
export const XLSX_ROWS_PER_SHEET = 1_000_000;

const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A CSV text cell that a spreadsheet would run as a formula ("=", "+", "-", "@" first) gets a
 * leading apostrophe (OWASP CSV injection); numbers are left alone. The .xlsx export needs no such
 * care: its cells are typed, and a text cell is never read as a formula.
 *
 * @example
 * safeCell("=HYPERLINK(...)"); // "'=HYPERLINK(...)"
 */
export function safeCell(v: string | number | null): string | number | null {
  if (typeof v !== "string" || NUMBER.test(v)) return v;
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
}

/**
 * The table as CSV (UTF-8 with a byte order mark, so spreadsheet software reads accents right).
 * A page of rows becomes one chunk, made when the reader asks for more (pull): a row at a time
 * through a stream of objects stopped for back-pressure every few rows, which made a
 * million-receipt export slower than the spreadsheet.
 *
 * @example
 * return new Response(csvStream(table), { headers: { "content-type": "text/csv; charset=utf-8" } });
 */
export function csvStream<T>(table: ExportTable<T>): ReadableStream<Uint8Array> {
  const text = new TextEncoder();
  let pages: AsyncIterator<T[]> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(text.encode(`\uFEFF${stringifyRows([table.columns.map((c) => c.header)])}`));
    },
    async pull(controller) {
      pages ??= table.pages()[Symbol.asyncIterator]();
      const next = await pages.next();
      if (next.done) return controller.close();
      controller.enqueue(text.encode(stringifyRows(next.value.map((row) => table.columns.map((c) => safeCell(c.value(row)))))));
    },
    async cancel() {
      // The reader went away: end the page source (which closes its database connection).
      await pages?.return?.();
    },
  });
}

/**
 * The table as an .xlsx workbook: an optional summary sheet, then the list over as many sheets as
 * it needs (a million rows each).
 *
 * @example
 * return new Response(xlsxStream(table, [["Service point", "sp-12"]]), { headers: { "content-type": XLSX_TYPE } });
 */
export function xlsxStream<T>(table: ExportTable<T>, summary?: ExportSummary): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  void (async () => {
    try {
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
      if (summary) {
        const sheet = book.addWorksheet("Summary");
        sheet.columns = [{ width: 36 }, { width: 48 }];
        for (const line of summary) sheet.addRow(line).commit();
        sheet.commit();
      }
      let sheet: ExcelJS.Worksheet | null = null;
      let rows = 0;
      let sheets = 0;
      const newSheet = () => {
        sheet?.commit();
        sheets++;
        sheet = book.addWorksheet(sheets === 1 ? table.name : `${table.name} ${sheets}`);
        sheet.columns = table.columns.map((c) => ({ width: c.width ?? Math.max(12, c.header.length + 2) }));
        sheet.addRow(table.columns.map((c) => c.header)).commit();
        rows = 0;
      };
      newSheet();
      for await (const page of table.pages()) {
        for (const row of page) {
          if (rows === XLSX_ROWS_PER_SHEET) newSheet();
          sheet!.addRow(table.columns.map((c) => c.value(row))).commit();
          rows++;
        }
        // The writer does not wait for its reader: hold the next page while the zip is behind.
        if (out.writableNeedDrain) await once(out, "drain");
      }
      (sheet as ExcelJS.Worksheet | null)?.commit();
      await book.commit();
    } catch (e) {
      out.destroy(e as Error);
    }
  })();
  return Readable.toWeb(out) as ReadableStream<Uint8Array>;
}

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * The response of an export: the file streamed, named for download, never cached.
 *
 * @example
 * return exportResponse(table, "csv", "settlement-sp-12-2027-03");
 */
export function exportResponse<T>(table: ExportTable<T>, format: "csv" | "xlsx", fileName: string, summary?: ExportSummary): Response {
  const body = format === "csv" ? csvStream(table) : xlsxStream(table, summary);
  return new Response(body, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : XLSX_TYPE,
      "content-disposition": `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, "_")}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
