import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { stringify } from "csv-stringify/sync";
import { describeRegistryConnector } from "./conformance";
import type { RegistryItem } from "./connector";
import { createCsvConnector, readCsvHeader } from "./csv";
import { formatErrorReport } from "./error-report";
import { ColumnMapping } from "./record";

describeRegistryConnector("csv", (f) => {
  const text = stringify([f.header, ...f.rows]);
  // Small chunks so rows straddle chunk boundaries, as they do when reading a file.
  return createCsvConnector({ open: () => Readable.from(chunk(text, 7)), mapping: f.mapping });
});

function chunk(s: string, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += n) out.push(s.slice(i, i + n));
  return out;
}

async function readAll(text: string, mapping: ColumnMapping = { id: "registryId", size: "householdSize" }) {
  const items: RegistryItem[] = [];
  for await (const x of createCsvConnector({ open: () => [text], mapping }).read()) items.push(x);
  return items;
}

describe("CSV connector", () => {
  it("strips a UTF-8 byte order mark from the first header", async () => {
    const items = await readAll("\uFEFFid,size\nA-1,2\n");
    expect(items).toEqual([{ ok: true, line: 2, record: expect.objectContaining({ registryId: "A-1", householdSize: 2 }) }]);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("id,size\nA-2,3\n")]);
    const fromBytes: RegistryItem[] = [];
    for await (const x of createCsvConnector({ open: () => [bytes], mapping: { id: "registryId" } }).read()) fromBytes.push(x);
    expect(fromBytes[0]).toMatchObject({ ok: true, record: { registryId: "A-2" } });
  });

  it("reads quoted cells with commas, doubled quotes, new lines and non-Latin text", async () => {
    const items = await readAll('id,name,size\n"A,1","Wanjiru ""Shiku"" Kamau",2\n"B-2","سلمى\nالحسن",3\n', {
      id: "registryId",
      name: "name",
      size: "householdSize",
    });
    expect(items.map((i) => i.ok && i.record)).toEqual([
      expect.objectContaining({ registryId: "A,1", name: 'Wanjiru "Shiku" Kamau' }),
      expect.objectContaining({ registryId: "B-2", name: "سلمى\nالحسن" }),
    ]);
  });

  it("reports a row with a stray quote and carries on with the next", async () => {
    const items = await readAll('id,size\nA-1,2\nA-2,"3"x\nA-3,4\n');
    expect(items.map((i) => [i.line, i.ok])).toEqual([
      [2, true],
      [3, false],
      [4, true],
    ]);
    expect(items[1]).toMatchObject({ errors: [{ code: "ERR_ROW_INVALID", line: 3, column: "size", registryId: "A-2" }] });
  });

  it("reports an unclosed quote at the end without losing the rows before it", async () => {
    const items = await readAll('id,size\nA-1,2\nA-2,"3\nA-3,4\n');
    expect(items[0]).toMatchObject({ ok: true, record: { registryId: "A-1" } });
    expect(items.at(-1)).toMatchObject({ ok: false, errors: [{ code: "ERR_ROW_MALFORMED" }] });
  });

  it("reports rows with too few or too many cells", async () => {
    const items = await readAll("id,size\nA-1\nA-2,2,extra\nA-3,3\n");
    expect(items.map((i) => (i.ok ? "ok" : i.errors[0]?.code))).toEqual([
      "ERR_ROW_COLUMN_COUNT",
      "ERR_ROW_COLUMN_COUNT",
      "ok",
    ]);
  });

  it("ignores columns the mapping does not name, and reads them in any order", async () => {
    const items = await readAll("national_id,size,id,phone\n12345678,2,A-1,+255700000000\n");
    expect(items).toEqual([{ ok: true, line: 2, record: { registryId: "A-1", householdSize: 2, enrolment: "active", attributes: {} } }]);
  });

  it("fails the whole file with a code when a mapped column is missing", async () => {
    await expect(readAll("identifier,size\nA-1,2\n")).rejects.toMatchObject({ code: "ERR_REGISTRY_MISSING_COLUMN" });
    await expect(readAll("id,id,size\nA-1,A-2,2\n")).rejects.toMatchObject({ code: "ERR_REGISTRY_MISSING_COLUMN" });
  });

  it("fails an empty file with ERR_REGISTRY_EMPTY", async () => {
    await expect(readAll("")).rejects.toMatchObject({ code: "ERR_REGISTRY_EMPTY" });
    await expect(readCsvHeader(() => [""])).rejects.toMatchObject({ code: "ERR_REGISTRY_EMPTY" });
  });

  it("reads semicolon-separated exports when told", async () => {
    const items: RegistryItem[] = [];
    const c = createCsvConnector({ open: () => ["id;size\nA-1;2\n"], mapping: { id: "registryId", size: "householdSize" }, delimiter: ";" });
    for await (const x of c.read()) items.push(x);
    expect(items[0]).toMatchObject({ ok: true, record: { registryId: "A-1", householdSize: 2 } });
  });

  it("reads the header for the mapping form", async () => {
    expect(await readCsvHeader(() => ["\uFEFF id , name,size\nA,b,1\n"])).toEqual(["id", "name", "size"]);
  });

  it("streams 100,000 rows with bounded memory", async () => {
    const total = 100_000;
    function* rows() {
      yield "id,name,district,size,score,phone\n";
      let batch = "";
      for (let i = 1; i <= total; i++) {
        batch += `H-${i},Person ${i},KE-${i % 47},${(i % 9) + 1},${i % 100},+2547${i}\n`;
        if (i % 1000 === 0) {
          yield batch;
          batch = "";
        }
      }
    }
    const c = createCsvConnector({
      open: () => rows(),
      mapping: { id: "registryId", name: "name", district: "area", size: "householdSize", score: "povertyScore" },
    });
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let ok = 0;
    let last = 0;
    for await (const item of c.read()) {
      if (item.ok) ok++;
      last = item.line;
      if (ok % 10_000 === 0) {
        globalThis.gc?.(); // retained memory, not garbage waiting for a collection
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    expect(ok).toBe(total);
    expect(last).toBe(total + 1);
    // The file is about 4.5 MB of text and ~100 MB as parsed objects; streaming keeps the heap
    // growth far below either.
    expect(peak - before).toBeLessThan(40 * 1024 * 1024);
  }, 60_000);
});

describe("ColumnMapping", () => {
  it("needs a registryId column and distinct targets", () => {
    expect(ColumnMapping.safeParse({ a: "name" }).success).toBe(false);
    expect(ColumnMapping.safeParse({ a: "registryId", b: "area", c: "area" }).success).toBe(false);
    expect(ColumnMapping.safeParse({ a: "registryId", b: "attributes.disability" }).success).toBe(true);
    // The national ID number and date of birth are targets (for programmes that bind paper cards
    // to national IDs; the issuer keeps them sealed); anything else unknown is not.
    expect(ColumnMapping.safeParse({ a: "registryId", b: "nationalId", c: "birthDate" }).success).toBe(true);
    expect(ColumnMapping.safeParse({ a: "registryId", b: "phoneNumber" }).success).toBe(false);
  });
});

describe("error report", () => {
  it("writes a CSV with a header and neutralises formulas", () => {
    const csv = formatErrorReport(
      [
        { line: 3, column: "hh_size", code: "ERR_ROW_INVALID", message: "a whole number, please", registryId: "=HYPERLINK(1)" },
        { line: 9, code: "ERR_ROW_MALFORMED", message: 'quote "here"' },
      ],
      { withHeader: true },
    );
    expect(csv).toBe(
      'line,registry_id,column,code,message\n3,\'=HYPERLINK(1),hh_size,ERR_ROW_INVALID,"a whole number, please"\n9,,,ERR_ROW_MALFORMED,"quote ""here"""\n',
    );
    expect(formatErrorReport([])).toBe("");
  });
});
