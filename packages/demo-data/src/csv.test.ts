import { Writable } from "node:stream";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { createCsvConnector } from "@haki/registry/csv";
import type { RegistryItem } from "@haki/registry/connector";
import {
  HOUSEHOLD_COLUMNS,
  MALFORMED_KINDS,
  PERSON_COLUMNS,
  csvColumnMapping,
  streamRegistryCsv,
  writeRegistryCsv,
  writeSyntheticRegistryCsv,
  type CsvOptions,
  type CsvSummary,
} from "./csv";
import { DemoDataError } from "./errors";
import { generateRegistry, type Household, type RegistryOptions } from "./generate";

class TextSink extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.chunks.push(chunk);
    done();
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function csvText(registry: RegistryOptions, options: CsvOptions = {}): Promise<{ text: string; summary: CsvSummary }> {
  const sink = new TextSink();
  const summary = await writeSyntheticRegistryCsv(registry, sink, options);
  return { text: sink.bytes().toString("utf8"), summary };
}

function parseRows(text: string): string[][] {
  return parse(text, { relax_column_count: true }) as string[][];
}

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

async function importWithRegistry(text: string, options: CsvOptions = {}): Promise<RegistryItem[]> {
  const items: RegistryItem[] = [];
  const connector = createCsvConnector({ open: () => [text], mapping: csvColumnMapping(options) });
  for await (const item of connector.read()) items.push(item);
  return items;
}

const registry: RegistryOptions = { households: 2000, seed: 7 };
const households: Household[] = [...generateRegistry(registry)];

describe("writeRegistryCsv", () => {
  it("writes a header and one row per household head that csv-parse reads back to the same values", async () => {
    const { text, summary } = await csvText(registry);
    expect(summary).toEqual({ households: 2000, rows: 2000, malformed: [] });
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([...HOUSEHOLD_COLUMNS]);
    expect(records).toHaveLength(2000);
    records.forEach((r, i) => {
      const h = households[i]!;
      const head = h.members[0];
      expect(r).toEqual({
        group_identifier: h.group_identifier,
        country_code: h.country_code,
        admin_area_code: h.address.admin_area_code,
        admin_area_name: h.address.admin_area_name,
        village: h.address.village,
        group_size: String(h.group_size),
        poverty_score: String(h.poverty_score),
        given_name: head.given_name,
        surname: head.surname,
        sex: head.sex,
        birth_date: head.birth_date,
        phone_number: head.phone_number ?? "",
      });
    });
    expect(text).toMatch(/[\u0600-\u06FF]/);
    expect(text).toMatch(/[\u1200-\u137F]/);
    expect(text).toMatch(/[\u0E00-\u0E7F]/);
    expect(text.split("\n").length).toBe(2002); // header, 2000 rows, final newline
  });

  it("writes one row per person with the household fields repeated", async () => {
    const { text, summary } = await csvText({ households: 300, seed: 7 }, { rows: "person" });
    const persons = households.slice(0, 300).flatMap((h) => h.members.map((p, k) => ({ h, p, k })));
    expect(summary.rows).toBe(persons.length);
    const records = parse(text, { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([...PERSON_COLUMNS]);
    expect(records.map((r) => [r.person_identifier, r.group_identifier, r.is_group_head, r.given_name, r.group_size])).toEqual(
      persons.map(({ h, p, k }) => [p.identifier, h.group_identifier, k === 0 ? "true" : "false", p.given_name, String(h.group_size)]),
    );
  });

  it("adds a full_name column, a byte order mark and another delimiter on request", async () => {
    const { text } = await csvText({ households: 20, seed: 7 }, { fullName: true, bom: true, delimiter: ";" });
    const bytes = Buffer.from(text, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.slice(1).split("\n")[0]).toBe(
      "group_identifier;country_code;admin_area_code;admin_area_name;village;group_size;poverty_score;given_name;surname;full_name;sex;birth_date;phone_number",
    );
    const records = parse(text, { columns: true, bom: true, delimiter: ";" }) as Record<string, string>[];
    expect(records[3]!.full_name).toBe(`${households[3]!.members[0].given_name} ${households[3]!.members[0].surname}`);
    // Only the first chunk carries the mark.
    expect(text.slice(1)).not.toContain("\uFEFF");
  });

  it("streams as a readable, from sync or async sources, to the same bytes", async () => {
    const { text } = await csvText({ households: 1500, seed: 4 });
    const { stream, summary } = streamRegistryCsv(generateRegistry({ households: 1500, seed: 4 }));
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(Buffer.from(c as string));
    expect(Buffer.concat(chunks).toString("utf8")).toBe(text);
    expect(summary.rows).toBe(1500);
    async function* slowly() {
      for (const h of generateRegistry({ households: 1500, seed: 4 })) {
        await Promise.resolve();
        yield h;
      }
    }
    const sink = new TextSink();
    await writeRegistryCsv(slowly(), sink);
    expect(sink.bytes().toString("utf8")).toBe(text);
  });

  it("imports cleanly through @haki/registry's CSV connector with csvColumnMapping", async () => {
    const { text } = await csvText(registry, { fullName: true });
    const items = await importWithRegistry(text, { fullName: true });
    expect(items.filter((i) => !i.ok)).toEqual([]);
    expect(items).toHaveLength(2000);
    const first = items[0]!;
    expect(first).toMatchObject({
      ok: true,
      line: 2,
      record: {
        registryId: households[0]!.group_identifier,
        name: `${households[0]!.members[0].given_name} ${households[0]!.members[0].surname}`,
        area: households[0]!.address.admin_area_code,
        householdSize: households[0]!.group_size,
        povertyScore: households[0]!.poverty_score,
      },
    });
    const perPerson = await csvText({ households: 100, seed: 7 }, { rows: "person" });
    const personItems = await importWithRegistry(perPerson.text, { rows: "person" });
    expect(personItems.every((i) => i.ok)).toBe(true);
    expect(personItems).toHaveLength(perPerson.summary.rows);
  });

  it("refuses bad options with ERR_DEMO_DATA_OPTIONS", async () => {
    const bad = [{ rows: "family" }, { delimiter: "|" }, { malformedSeed: -1 }] as unknown as CsvOptions[];
    for (const options of bad) {
      await expect(writeRegistryCsv([], new TextSink(), options)).rejects.toMatchObject({ code: "ERR_DEMO_DATA_OPTIONS" });
    }
    await expect(writeSyntheticRegistryCsv({ households: 0, seed: 1 }, new TextSink(), { malformed: true })).rejects.toBeInstanceOf(
      DemoDataError,
    );
  });
});

describe("malformed rows", () => {
  for (const rows of ["household", "person"] as const) {
    it(`puts each kind of bad row exactly where the summary says (${rows} rows)`, async () => {
      const { text, summary } = await csvText(registry, { rows, malformed: true, malformedSeed: 11 });
      expect(summary.malformed.map((m) => m.kind).sort()).toEqual([...MALFORMED_KINDS].sort());
      const lines = parseRows(text);
      const header = lines[0]!;
      const idColumn = rows === "person" ? "person_identifier" : "group_identifier";
      const col = (name: string) => header.indexOf(name);
      const byLine = new Map(summary.malformed.map((m) => [m.line, m]));
      expect(summary.rows).toBe(lines.length - 1);
      // Bad rows are spread over the file, not bunched at the start.
      expect(Math.max(...summary.malformed.map((m) => m.line))).toBeGreaterThan(lines.length / 10);

      const seen = new Map<string, number>();
      lines.slice(1).forEach((cells, i) => {
        const line = i + 2;
        const bad = byLine.get(line);
        const id = cells[col(idColumn)] ?? "";
        const problems: string[] = [];
        if (cells.length !== header.length) problems.push("column-count");
        if (id === "") problems.push("missing-id");
        if (id !== "" && seen.has(id)) problems.push("duplicate-id");
        if (cells.length === header.length && !isRealDate(cells[col("birth_date")]!)) problems.push("bad-date");
        if (cells.length === header.length && !/^\d+(\.\d)?$/.test(cells[col("poverty_score")]!)) problems.push("bad-number");
        expect(problems, `line ${line}`).toEqual(bad ? [bad.kind] : []);
        if (bad) {
          expect(bad.row).toBe(line - 1);
          if (bad.column) expect(cells[col(bad.column)]).toBe(bad.value);
          if (bad.kind === "column-count") expect(cells.length).toBe(bad.cells);
          if (bad.kind === "duplicate-id") {
            expect(bad.duplicateOfLine).toBe(seen.get(id));
            expect(bad.duplicateOfLine!).toBeLessThan(line);
          }
        }
        if (id !== "" && !seen.has(id)) seen.set(id, line);
      });
    });
  }

  it("leaves the valid rows as they are without the option, and places bad rows by seed", async () => {
    const clean = parseRows((await csvText(registry)).text);
    const { text, summary } = await csvText(registry, { malformed: true, malformedSeed: 11 });
    const badLines = new Set(summary.malformed.map((m) => m.line));
    const kept = parseRows(text).filter((_, i) => !badLines.has(i + 1));
    expect(kept).toEqual(clean);
    const other = await csvText(registry, { malformed: true, malformedSeed: 12 });
    expect(other.summary.malformed.map((m) => m.line)).not.toEqual(summary.malformed.map((m) => m.line));
    const again = await csvText(registry, { malformed: true, malformedSeed: 11 });
    expect(again.summary).toEqual(summary);
  });

  it("still writes all five into a one-household file", async () => {
    const { text, summary } = await csvText({ households: 1, seed: 3 }, { malformed: true });
    expect(summary.rows).toBe(6);
    expect(summary.malformed.map((m) => m.kind).sort()).toEqual([...MALFORMED_KINDS].sort());
    expect(summary.malformed.find((m) => m.kind === "duplicate-id")?.duplicateOfLine).toBe(2);
    expect(parseRows(text)).toHaveLength(7);
  });

  it("is caught by @haki/registry's CSV connector where it checks (id, number, cell count) and not elsewhere", async () => {
    const { text, summary } = await csvText(registry, { malformed: true, malformedSeed: 5 });
    const items = await importWithRegistry(text);
    const failed = items.filter((i) => !i.ok);
    const at = (kind: string) => summary.malformed.find((m) => m.kind === kind)!.line;
    expect(failed.map((i) => [i.line, i.ok ? undefined : i.errors.map((e) => [e.code, e.column])]).sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual(
      [
        [at("missing-id"), [["ERR_ROW_INVALID", "group_identifier"]]],
        [at("bad-number"), [["ERR_ROW_INVALID", "poverty_score"]]],
        [at("column-count"), [["ERR_ROW_COLUMN_COUNT", undefined]]],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    );
    // birth_date is not a Haki field and the connector does not look for duplicates: the importer's job.
    expect(items.find((i) => i.line === at("bad-date"))?.ok).toBe(true);
    expect(items.find((i) => i.line === at("duplicate-id"))?.ok).toBe(true);
  });
});

describe("a million rows", () => {
  it("stream into a sink with a flat heap", { timeout: 180_000 }, async () => {
    let bytes = 0;
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        done();
      },
    });
    const start = process.memoryUsage().heapUsed;
    let peak = start;
    function* watched(): Generator<Household> {
      let n = 0;
      for (const h of generateRegistry({ households: 1_000_000, seed: 9 })) {
        if (++n % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        yield h;
      }
    }
    const summary = await writeRegistryCsv(watched(), sink);
    expect(summary.rows).toBe(1_000_000);
    expect(bytes).toBeGreaterThan(80_000_000);
    // Holding the rows would take hundreds of MB; streaming stays within young-generation churn.
    expect((peak - start) / 1024 / 1024).toBeLessThan(96);
  });
});
