/**
 * CSV export of a synthetic registry, streamed (back-pressured: a 1,000,000 household file never
 * sits in memory) and quoted by csv-stringify. One row per household head by default, or one row per
 * person. The `malformed` option adds a known set of bad rows and reports their line numbers, so
 * import tests can assert exactly what an importer must reject. Node only (node:stream).
 */
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { stringify } from "csv-stringify/sync";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import * as z from "zod";
import { DemoDataError } from "./errors";
import { generateRegistry, type Household, type Person, type RegistryOptions } from "./generate";

/** The household's own fields, in the order both exports write them. */
const HOUSEHOLD_FIELDS = ["country_code", "admin_area_code", "admin_area_name", "village", "group_size", "poverty_score"] as const;
/** A person's own fields, in the order both exports write them. */
const PERSONAL_FIELDS = ["given_name", "surname", "sex", "birth_date", "phone_number"] as const;

/** Columns of the household export (one row per household, its head's personal fields). */
export const HOUSEHOLD_COLUMNS = ["group_identifier", ...HOUSEHOLD_FIELDS, ...PERSONAL_FIELDS] as const;

/** Columns of the person export (one row per member, household fields repeated). */
export const PERSON_COLUMNS = ["person_identifier", "group_identifier", "is_group_head", ...PERSONAL_FIELDS, ...HOUSEHOLD_FIELDS] as const;

export const MALFORMED_KINDS = ["missing-id", "bad-date", "bad-number", "column-count", "duplicate-id"] as const;
export type MalformedKind = (typeof MALFORMED_KINDS)[number];

/** A bad row the writer put in on purpose, and where. */
export interface MalformedRow {
  kind: MalformedKind;
  /** Line of the file the row is on; the header is line 1 (no cell holds a line break). */
  line: number;
  /** Data row number, 1-based (the header is row 0). */
  row: number;
  /** The column holding the bad value (none for a wrong cell count). */
  column?: string;
  /** The bad value as written. */
  value?: string;
  /** For duplicate-id: the line of the first row with that id. */
  duplicateOfLine?: number;
  /** Cells in the row, for column-count (the header has one more). */
  cells?: number;
}

export const CsvOptions = z.object({
  /** "household" (default): one row per household head; "person": one row per member. */
  rows: z.enum(["household", "person"]).optional(),
  /** Adds a `full_name` column (given name then surname) after `surname`, for importers that take one name. */
  fullName: z.boolean().optional(),
  /** Adds one bad row of each MALFORMED_KINDS kind (extra rows: the valid ones are unchanged). */
  malformed: z.boolean().optional(),
  /** How many households the source yields, when known: bad rows are then spread over the whole file. */
  totalHouseholds: z.number().int().min(0).optional(),
  /** Seed for where the bad rows go; defaults to 0. */
  malformedSeed: z.number().int().min(0).max(0xffff_ffff).optional(),
  /** A UTF-8 byte order mark first, so spreadsheet software reads the scripts right. */
  bom: z.boolean().optional(),
  delimiter: z.enum([",", ";", "\t"]).optional(),
});
export type CsvOptions = z.input<typeof CsvOptions>;

export interface CsvSummary {
  /** Households read from the source. */
  households: number;
  /** Data rows written (header excluded), bad rows included. */
  rows: number;
  /** The bad rows written on purpose, in file order (empty unless `malformed`). */
  malformed: MalformedRow[];
}

type HouseholdSource = Iterable<Household> | AsyncIterable<Household>;

/** The `@haki/registry` record fields this export's columns feed. */
export type HakiField = "registryId" | "name" | "area" | "householdSize" | "povertyScore";

/**
 * The Haki column mapping (`@haki/registry` ColumnMapping: registry column -> Haki field) that
 * imports a file written with the same options.
 *
 * @example
 * createCsvConnector({ open: () => createReadStream("registry.csv"), mapping: csvColumnMapping({ fullName: true }) });
 */
export function csvColumnMapping(options: Pick<CsvOptions, "rows" | "fullName"> = {}): Record<string, HakiField> {
  return {
    [options.rows === "person" ? "person_identifier" : "group_identifier"]: "registryId",
    ...(options.fullName ? { full_name: "name" } : {}),
    admin_area_code: "area",
    group_size: "householdSize",
    poverty_score: "povertyScore",
  };
}

/**
 * Writes households as CSV to a writable stream and resolves once it is flushed, with what was
 * written (and where the bad rows are, with `malformed`).
 *
 * @example
 * const households = generateRegistry({ households: 2000, seed: 7 });
 * const summary = await writeRegistryCsv(households, createWriteStream("registry.csv"), { malformed: true });
 * summary.malformed; // [{ kind: "missing-id", line: 214, row: 213, column: "group_identifier", value: "" }, ...]
 */
export async function writeRegistryCsv(
  households: HouseholdSource,
  out: Writable | NodeJS.WritableStream,
  options: CsvOptions & { end?: boolean } = {},
): Promise<CsvSummary> {
  const { chunks, summary } = prepare(households, options);
  await pipeline(Readable.from(chunks, { objectMode: false }), out, { end: options.end ?? true });
  return summary;
}

/**
 * The CSV text as a readable stream (for an importer that opens a source, or an HTTP response).
 * The summary fills in as the stream is read.
 *
 * @example
 * // An import test without a file: each pass of the connector regenerates the same CSV.
 * createCsvConnector({
 *   open: () => streamRegistryCsv(generateRegistry({ households: 500, seed: 1 })).stream,
 *   mapping: csvColumnMapping(),
 * });
 */
export function streamRegistryCsv(households: HouseholdSource, options: CsvOptions = {}): { stream: Readable; summary: CsvSummary } {
  const { chunks, summary } = prepare(households, options);
  return { stream: Readable.from(chunks, { objectMode: false }), summary };
}

/**
 * Shorthand: generate and write in one call.
 *
 * @example
 * await writeSyntheticRegistryCsv({ households: 2000, seed: 7 }, createWriteStream("r.csv"), { rows: "person" });
 */
export function writeSyntheticRegistryCsv(
  registry: RegistryOptions,
  out: Writable | NodeJS.WritableStream,
  options: CsvOptions & { end?: boolean } = {},
): Promise<CsvSummary> {
  const total = Math.max(0, registry.households - (registry.start ?? 0));
  return writeRegistryCsv(generateRegistry(registry), out, { totalHouseholds: total, ...options });
}

function prepare(households: HouseholdSource, options: CsvOptions) {
  const parsed = CsvOptions.safeParse(options);
  if (!parsed.success) {
    throw new DemoDataError("ERR_DEMO_DATA_OPTIONS", `Bad CSV options: ${z.prettifyError(parsed.error)}`, { cause: parsed.error });
  }
  const o = parsed.data;
  const summary: CsvSummary = { households: 0, rows: 0, malformed: [] };
  const builder = rowBuilder(o, summary);
  const chunks = Symbol.iterator in households ? syncChunks(households, builder, o) : asyncChunks(households, builder, o);
  return { chunks, summary };
}

// csv-stringify's synchronous API over batches of rows: one stream chunk per few hundred rows
// instead of one per row (the per-chunk stream machinery is most of the cost of a million-row
// file); memory stays bounded by the batch.
const BATCH_ROWS = 512;

/** The batching both generators share: `add` gives a CSV chunk when a batch is full, `end` the rest. */
function chunker(b: RowBuilder, o: z.output<typeof CsvOptions>): { add(h: Household): string | undefined; end(): string } {
  const options = { delimiter: o.delimiter ?? ",", record_delimiter: "unix" as const };
  let first = true;
  let batch: string[][] = [b.header()];
  const flush = (): string => {
    const text = stringify(batch, { ...options, bom: first && (o.bom ?? false) });
    first = false;
    batch = [];
    return text;
  };
  return {
    add(h) {
      b.household(h, batch);
      return batch.length >= BATCH_ROWS ? flush() : undefined;
    },
    end() {
      b.end();
      return flush();
    },
  };
}

function* syncChunks(source: Iterable<Household>, b: RowBuilder, o: z.output<typeof CsvOptions>): Generator<string> {
  const c = chunker(b, o);
  for (const h of source) {
    const chunk = c.add(h);
    if (chunk !== undefined) yield chunk;
  }
  yield c.end();
}

async function* asyncChunks(source: AsyncIterable<Household>, b: RowBuilder, o: z.output<typeof CsvOptions>): AsyncGenerator<string> {
  const c = chunker(b, o);
  for await (const h of source) {
    const chunk = c.add(h);
    if (chunk !== undefined) yield chunk;
  }
  yield c.end();
}

type Columns = readonly string[];

/** How each column's cell is read from a household, one of its members and the member's index. */
const CELL: Record<string, (h: Household, p: Person, k: number) => string> = {
  person_identifier: (_h, p) => p.identifier,
  group_identifier: (h) => h.group_identifier,
  is_group_head: (_h, _p, k) => (k === 0 ? "true" : "false"),
  given_name: (_h, p) => p.given_name,
  surname: (_h, p) => p.surname,
  full_name: (_h, p) => `${p.given_name} ${p.surname}`,
  sex: (_h, p) => p.sex,
  birth_date: (_h, p) => p.birth_date,
  phone_number: (_h, p) => p.phone_number ?? "",
  country_code: (h) => h.country_code,
  admin_area_code: (h) => h.address.admin_area_code,
  admin_area_name: (h) => h.address.admin_area_name,
  village: (h) => h.address.village,
  group_size: (h) => String(h.group_size),
  poverty_score: (h) => String(h.poverty_score),
};

interface RowBuilder {
  header(): string[];
  /** Appends the household's rows (and any bad row planned after it) to `out`. */
  household(h: Household, out: string[][]): void;
  end(): void;
}

function rowBuilder(o: z.output<typeof CsvOptions>, summary: CsvSummary): RowBuilder {
  const perPerson = o.rows === "person";
  const base: Columns = perPerson ? PERSON_COLUMNS : HOUSEHOLD_COLUMNS;
  const columns: Columns = o.fullName ? withFullName(base) : base;
  const cells = columns.map((c) => CELL[c]!);
  const toRow = (h: Household, p: Person, k: number): string[] => cells.map((cell) => cell(h, p, k));
  const idColumn = perPerson ? "person_identifier" : "group_identifier";
  const idIndex = columns.indexOf(idColumn);
  const plan = o.malformed ? planMalformed(o.malformedSeed ?? 0, o.totalHouseholds) : undefined;
  let line = 1;
  let index = 0;
  let dupSource: { line: number; id: string } | undefined;
  return {
    header: () => [...columns],
    household(h, out) {
      summary.households++;
      const headLine = line + 1;
      const head = toRow(h, h.members[0], 0);
      out.push(head);
      const count = perPerson ? h.members.length : 1;
      for (let k = 1; k < count; k++) out.push(toRow(h, h.members[k]!, k));
      line += count;
      summary.rows += count;
      if (plan) {
        if (index === plan.duplicateOf) dupSource = { line: headLine, id: head[idIndex]! };
        for (const kind of plan.after(index)) {
          const bad = badRow(kind, h, head, columns, idColumn, dupSource);
          line++;
          summary.rows++;
          summary.malformed.push({ ...bad.report, line, row: line - 1 });
          out.push(bad.cells);
        }
      }
      index++;
    },
    end() {
      if (plan && summary.households === 0) {
        throw new DemoDataError("ERR_DEMO_DATA_OPTIONS", "Bad rows need at least one household to copy from.");
      }
    },
  };
}

function withFullName(columns: Columns): Columns {
  const out = [...columns];
  out.splice(out.indexOf("surname") + 1, 0, "full_name");
  return out;
}

/**
 * Where the bad rows go: each kind after one household drawn from the seed, spread over the file
 * when its size is known, else within the first 64 households. A file shorter than the span gets
 * only the bad rows that fall within it (the summary lists those written).
 */
function planMalformed(seed: number, total: number | undefined) {
  const rng = xoroshiro128plus(seed);
  rng.jump();
  const span = Math.max(1, total ?? 64);
  const slots = new Map<MalformedKind, number>(MALFORMED_KINDS.map((k) => [k, uniformInt(rng, 0, span - 1)]));
  // The copied id comes from a household at or before the duplicate's own position.
  const duplicateOf = uniformInt(rng, 0, slots.get("duplicate-id")!);
  return {
    duplicateOf,
    after: (index: number): MalformedKind[] => MALFORMED_KINDS.filter((k) => slots.get(k) === index),
  };
}

function badRow(
  kind: MalformedKind,
  h: Household,
  head: string[],
  columns: Columns,
  idColumn: string,
  dupSource: { line: number; id: string } | undefined,
): { cells: string[]; report: Omit<MalformedRow, "line" | "row"> } {
  const cells = [...head];
  const set = (column: string, value: string) => {
    const i = columns.indexOf(column);
    if (i >= 0) cells[i] = value;
  };
  // Bad rows reuse the head of the household just written, under an id of their own (a suffix
  // letter per kind: real ids have none), so only the defect differs from a good row.
  const freshId = `${h.group_identifier}${kind.charAt(kind.indexOf("-") + 1).toUpperCase()}`;
  set("group_identifier", freshId);
  if (idColumn === "person_identifier") set("person_identifier", `${freshId}-01`);
  switch (kind) {
    case "missing-id":
      set(idColumn, "");
      if (idColumn === "person_identifier") set("group_identifier", "");
      return { cells, report: { kind, column: idColumn, value: "" } };
    case "bad-date": {
      // A date that has the right shape but does not exist.
      const value = `${h.members[0].birth_date.slice(0, 4)}-02-30`;
      set("birth_date", value);
      return { cells, report: { kind, column: "birth_date", value } };
    }
    case "bad-number": {
      // A decimal comma, as a French-locale spreadsheet writes it.
      const value = (h.poverty_score + 0.5).toFixed(1).replace(".", ",");
      set("poverty_score", value);
      return { cells, report: { kind, column: "poverty_score", value } };
    }
    case "column-count":
      cells.pop();
      return { cells, report: { kind, cells: cells.length } };
    case "duplicate-id":
      // planMalformed puts the copied household at or before this one, so it has been written.
      set(idColumn, dupSource!.id);
      return { cells, report: { kind, column: idColumn, value: dupSource!.id, duplicateOfLine: dupSource!.line } };
  }
}
