/**
 * Large lists leave the console as files for finance and auditors: CSV (csv-stringify) and a
 * spreadsheet (ExcelJS's streaming workbook writer), both written page by page from the database
 * with back-pressure, so a million receipts never sit in memory at once. A list is described once
 * (its columns and a source of pages) and written in either format.
 */
import { PassThrough, Readable } from "node:stream";
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

/** What each stage of the spreadsheet's zip holds before it makes the one before it wait. */
const ZIP_BUFFER_BYTES = 256 * 1024;

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

/** A writable as ExcelJS's zip sees it: the stream the zip reads a sheet from. */
interface ZipInput {
  writableLength?: number;
  writableHighWaterMark?: number;
  /** readable-stream 2 (the zip's input) has no writableLength getter. */
  _writableState?: { length?: number };
  once(event: "drain", listener: () => void): unknown;
  removeListener(event: "drain", listener: () => void): unknown;
}

/**
 * Where a sheet's rows wait for the zip: ExcelJS writes a committed row into the sheet's buffer,
 * which hands 64 KiB blocks to the zip's input stream without looking at what write() answers,
 * so rows made faster than the zip compresses them (or than the reader takes the file) gather
 * there. No input yet means the zip has not reached this sheet: rows gather in the sheet's buffer.
 */
function zipInputsOf(sheet: ExcelJS.Worksheet): ZipInput[] | null {
  const pipes = (sheet as unknown as { stream?: { pipes?: ZipInput[] } }).stream?.pipes;
  return pipes && pipes.length > 0 ? pipes : null;
}

const behind = (input: ZipInput) => (input.writableLength ?? input._writableState?.length ?? 0) >= (input.writableHighWaterMark ?? 16_384);

/**
 * Resolves once the zip has taken in what the sheet gave it (its input drained): back-pressure
 * from the reader, through the zip's output and its compression, to the rows. Rejects when the
 * reader went away, so the page source is ended instead of waiting for ever.
 */
async function roomInZip(sheet: ExcelJS.Worksheet, out: PassThrough): Promise<void> {
  for (;;) {
    if (out.destroyed) throw new Error("The reader went away.");
    const inputs = zipInputsOf(sheet);
    const full = inputs ? inputs.find(behind) : undefined;
    if (inputs && !full) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        full?.removeListener("drain", done);
        out.removeListener("close", done);
        clearTimeout(timer);
        resolve();
      };
      full?.once("drain", done);
      out.once("close", done);
      // The zip attaches its input when it reaches the sheet, with no event to wait for.
      const timer = setTimeout(done, full ? 1_000 : 10);
    });
  }
}

/**
 * The table as an .xlsx workbook: an optional summary sheet, then the list over as many sheets as
 * it needs (a million rows each). A page is written only when the zip has taken in the last one,
 * so a slow reader holds back the database reads (memory stays flat: about a page ahead).
 *
 * @example
 * return new Response(xlsxStream(table, [["Service point", "sp-12"]]), { headers: { "content-type": XLSX_TYPE } });
 */
export function xlsxStream<T>(table: ExportTable<T>, summary?: ExportSummary): ReadableStream<Uint8Array> {
  const out = new PassThrough();
  void (async () => {
    try {
      // The zip (archiver) buffers 1 MiB on each side of each of its stages by default; a quarter
      // of that keeps an export's lead on its reader to a few pages.
      const zip: Partial<ExcelJS.stream.xlsx.ArchiverZipOptions> & { highWaterMark: number } = { highWaterMark: ZIP_BUFFER_BYTES };
      const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false, zip });
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
      const pages = table.pages()[Symbol.asyncIterator]();
      try {
        // The next page is read while the zip takes in this one: one page ahead, no more.
        for (let next = pages.next(); ; ) {
          const page = await next;
          if (page.done) break;
          for (const row of page.value) {
            if (rows === XLSX_ROWS_PER_SHEET) newSheet();
            sheet!.addRow(table.columns.map((c) => c.value(row))).commit();
            rows++;
          }
          next = pages.next();
          next.catch(() => undefined); // awaited on the next turn, or dropped if the reader went away
          await roomInZip(sheet!, out);
        }
      } finally {
        // Ends the page source (its database connection) when the reader went away.
        await pages.return?.();
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
