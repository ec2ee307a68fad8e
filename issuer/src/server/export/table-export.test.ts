/** The exports hold back when their reader does: a slow download never gathers the list in memory. */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { csvStream, xlsxStream, type ExportTable } from "./table-export";

const ROWS = 60_000;
const PAGE = 2_000;

/** A list shaped like a settlement: an id, an amount and a signed receipt that compresses badly. */
function receipts(): { table: ExportTable<number>; produced: () => number; ended: () => boolean } {
  let produced = 0;
  let ended = false;
  const evidence = (i: number) => createHash("sha512").update(String(i)).digest("base64url").repeat(3);
  return {
    produced: () => produced,
    ended: () => ended,
    table: {
      name: "Receipts",
      columns: [
        { header: "id", value: (i) => `r-${i}` },
        { header: "amount", value: (i) => i % 5000 },
        { header: "signedReceipt", value: (i) => evidence(i) },
      ],
      pages: async function* () {
        try {
          for (let at = 0; at < ROWS; at += PAGE) {
            const page = Array.from({ length: PAGE }, (_, k) => at + k);
            produced += page.length;
            yield page;
          }
        } finally {
          ended = true;
        }
      },
    },
  };
}

/** Waits until the count stops moving (the writer is held back) or the list is all read. */
async function settled(count: () => number): Promise<number> {
  for (let last = -1; ; ) {
    await new Promise((r) => setTimeout(r, 300));
    if (count() === last || count() === ROWS) return count();
    last = count();
  }
}

const rest = async (reader: ReadableStreamDefaultReader<Uint8Array>, first: Uint8Array[]) => {
  const chunks = [...first];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  return Buffer.concat(chunks);
};

describe("exports under a slow reader", () => {
  it("a spreadsheet reader that stops reading stops the rows being made (back-pressure through the zip), and the file is whole", async () => {
    const list = receipts();
    const reader = xlsxStream(list.table).getReader();
    const first = await reader.read();
    const ahead = await settled(list.produced);
    // Without waiting on the zip's input, every row was made at once (60,000 of 60,000); with it,
    // the lead is what the zip's buffers hold (about 14,000 of these rows), whatever the list's length.
    expect(ahead, `rows made ahead of the reader: ${ahead}`).toBeLessThanOrEqual(10 * PAGE);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await rest(reader, [first.value!])) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet("Receipts")!;
    expect(sheet.rowCount).toBe(ROWS + 1);
    expect(sheet.getRow(ROWS + 1).values).toEqual([undefined, `r-${ROWS - 1}`, (ROWS - 1) % 5000, expect.any(String)]);
  }, 60_000);

  it("a spreadsheet download abandoned while held back ends the page source (its database connection)", async () => {
    const list = receipts();
    const reader = xlsxStream(list.table).getReader();
    await reader.read();
    await settled(list.produced);
    await reader.cancel();
    await expect.poll(list.ended, { timeout: 5_000 }).toBe(true);
    expect(list.produced()).toBeLessThan(ROWS);
  }, 30_000);

  it("the CSV is made a page per read", async () => {
    const list = receipts();
    const reader = csvStream(list.table).getReader();
    await reader.read();
    expect(await settled(list.produced)).toBeLessThanOrEqual(2 * PAGE);
    await reader.cancel();
  });
});
