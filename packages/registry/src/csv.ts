/**
 * CSV connector: streams a social registry export through csv-parse (back-pressured, so a
 * 1,000,000-row file never sits in memory), maps columns to Haki's fields, validates each row with
 * zod, and yields a per-row error for rows it cannot use instead of stopping.
 */
import { Readable, Transform, pipeline } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import { RegistryError, type ReadArgs, type RegistryConnector, type RegistryItem, type RegistryRowError } from "./connector";
import { mapRow, type ColumnMapping } from "./record";

/** Where the bytes come from: a Node stream, a web stream or any (async) iterable of chunks. */
export type CsvSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export interface CsvConnectorArgs {
  /** Opens the file anew for each pass (re-import reads it again). */
  open: () => CsvSource;
  mapping: ColumnMapping;
  /** Field delimiter; "," unless the export says otherwise (";" is common in French locales). */
  delimiter?: string;
}

const PROGRESS_EVERY = 500;

/**
 * Creates a connector over a CSV export.
 *
 * @example
 * const connector = createCsvConnector({
 *   open: () => createReadStream("export.csv"),
 *   mapping: { household_id: "registryId", district: "area", hh_size: "householdSize" },
 * });
 */
export function createCsvConnector(args: CsvConnectorArgs): RegistryConnector {
  return { kind: "csv", read: (readArgs) => readCsv(args, readArgs ?? {}) };
}

/**
 * Reads only the header row of a CSV source (to offer a column mapping form).
 *
 * @example
 * await readCsvHeader(() => createReadStream("export.csv")); // ["household_id", "district", ...]
 */
export async function readCsvHeader(open: () => CsvSource, delimiter = ","): Promise<string[]> {
  const parser = parse({ bom: true, delimiter, to_line: 1, relax_column_count: true });
  const input = Readable.from(open());
  input.pipe(parser);
  try {
    for await (const header of parser as AsyncIterable<string[]>) return header.map((h) => h.trim());
  } finally {
    input.destroy();
  }
  throw new RegistryError("ERR_REGISTRY_EMPTY", "The file is empty: it has no header row.");
}

async function* readCsv(args: CsvConnectorArgs, { signal, onProgress }: ReadArgs): AsyncGenerator<RegistryItem> {
  // Malformed records (a stray quote) are skipped by the parser and reported here, in line order.
  const skipped: RegistryRowError[] = [];
  const parser = parse({
    bom: true,
    info: true,
    delimiter: args.delimiter ?? ",",
    relax_column_count: true,
    // A stray quote inside a cell is kept as text (and then fails the cell's validation) instead of
    // throwing the parser into a state where the rest of the file is lost.
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (err: CsvError | undefined) => {
      skipped.push({
        line: Number((err as { lines?: number } | undefined)?.lines ?? 0),
        code: "ERR_ROW_MALFORMED",
        message: malformedMessage(err),
      });
      return undefined;
    },
  });
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer | string, _enc, done) {
      bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      done(null, chunk);
    },
  });
  const input = Readable.from(args.open());
  pipeline(input, counter, parser, () => undefined);
  const onAbort = () => parser.destroy(new RegistryError("ERR_REGISTRY_ABORTED", "The import was stopped."));
  signal?.addEventListener("abort", onAbort, { once: true });

  let header: string[] | undefined;
  let index: [string, number][] = [];
  let rows = 0;
  const drain = function* (beforeLine: number): Generator<RegistryItem> {
    while (skipped.length > 0 && skipped[0]!.line < beforeLine) {
      const e = skipped.shift()!;
      rows++;
      yield { ok: false, line: e.line, errors: [e] };
    }
  };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (signal?.aborted) throw new RegistryError("ERR_REGISTRY_ABORTED", "The import was stopped.");
      if (!header) {
        header = record.map((h) => h.trim());
        index = columnIndex(header, args.mapping);
        continue;
      }
      yield* drain(info.lines);
      rows++;
      yield toItem(record, info.lines, header, index, args.mapping);
      if (rows % PROGRESS_EVERY === 0) onProgress?.({ rows, bytes });
    }
    if (signal?.aborted) throw new RegistryError("ERR_REGISTRY_ABORTED", "The import was stopped.");
    if (!header) throw new RegistryError("ERR_REGISTRY_EMPTY", "The file is empty: it has no header row.");
    yield* drain(Number.POSITIVE_INFINITY);
    onProgress?.({ rows, bytes });
  } catch (e) {
    if (e instanceof RegistryError) throw e;
    throw new RegistryError("ERR_REGISTRY_READ", `The file could not be read: ${(e as Error).message}`, { cause: e });
  } finally {
    signal?.removeEventListener("abort", onAbort);
    input.destroy();
  }
}

function columnIndex(header: string[], mapping: ColumnMapping): [string, number][] {
  const missing: string[] = [];
  const out: [string, number][] = [];
  for (const column of Object.keys(mapping)) {
    const i = header.indexOf(column);
    if (i < 0 || header.indexOf(column, i + 1) >= 0) missing.push(column);
    else out.push([column, i]);
  }
  if (missing.length > 0) {
    throw new RegistryError(
      "ERR_REGISTRY_MISSING_COLUMN",
      `The file has no single column named ${missing.map((m) => `"${m}"`).join(", ")}; check the column mapping.`,
    );
  }
  return out;
}

function toItem(
  record: string[],
  line: number,
  header: string[],
  index: [string, number][],
  mapping: ColumnMapping,
): RegistryItem {
  const cells: Record<string, string> = {};
  for (const [column, i] of index) cells[column] = record[i] ?? "";
  const idColumn = Object.entries(mapping).find(([, t]) => t === "registryId")?.[0];
  const registryId = idColumn ? cells[idColumn]?.trim() || undefined : undefined;
  if (record.length !== header.length) {
    return {
      ok: false,
      line,
      errors: [
        {
          line,
          code: "ERR_ROW_COLUMN_COUNT",
          message: `This row has ${record.length} cells; the header has ${header.length}.`,
          registryId,
        },
      ],
    };
  }
  const mapped = mapRow(cells, mapping);
  if (mapped.ok) return { ok: true, line, record: mapped.record };
  return {
    ok: false,
    line,
    errors: mapped.issues.map((i) => ({ line, column: i.column, code: "ERR_ROW_INVALID", message: i.message, registryId })),
  };
}

function malformedMessage(err: CsvError | undefined): string {
  switch (err?.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "A quote opened in this row is never closed; the rest of the file could not be read.";
    case "CSV_INVALID_CLOSING_QUOTE":
      return "A quote in this row is not where a cell ends; put the cell in quotes and double inner quotes.";
    default:
      return `This row is not valid CSV${err?.code ? ` (${err.code})` : ""}.`;
  }
}
