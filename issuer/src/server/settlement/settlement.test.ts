/** Settlement per service point and period, from the signed receipts a device sent, exported for finance. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { verifyReceipt } from "@haki/redemption/receipts";
import { testProviders } from "@haki/db/testing";
import { createTestContext, type TestContext } from "@/test/context";
import { createConsoleWorld, type ConsoleWorld } from "@/test/console-world";
import { csvStream, xlsxStream, safeCell } from "@/server/export/table-export";
import { readSettlement } from "./read-settlement";
import { readSettlementReceipts, settlementReceiptPages, settlementSummary, settlementTable, SETTLEMENT_HEADERS } from "./settlement-receipts";
import { resolveDoubleRedemption } from "./resolve-double-redemption";
import { readRedemptions } from "@/server/redemptions/read-redemptions";

const headers = Object.fromEntries(SETTLEMENT_HEADERS.map((h) => [h, h])) as Record<(typeof SETTLEMENT_HEADERS)[number], string>;
const read = async (stream: ReadableStream<Uint8Array>) => Buffer.from(await new Response(stream).arrayBuffer());

describe.each(testProviders())("settlement on %s", (provider) => {
  let t: TestContext;
  let w: ConsoleWorld;
  let double = "";
  beforeAll(async () => {
    t = await createTestContext(provider);
    w = await createConsoleWorld(t.ctx);
    const march = (d: number) => new Date(`2027-03-${String(d).padStart(2, "0")}T10:00:00Z`);
    await w.redeem(w.byName("Aïssata Maïga").entitlement.id, march(3));
    await w.redeem(w.byName("Amina Wanjirũ").entitlement.id, march(4), 2000);
    await w.redeem(w.byName("Juma Mwangi").entitlement.id, march(31));
    double = await w.redeem(w.byName("Aïssata Maïga").entitlement.id, march(5)); // the same card again
    await w.redeem(w.byName("Mohamed Ali").entitlement.id, new Date("2027-04-01T00:00:00Z")); // next period
  }, 60_000);
  afterAll(() => t.close());

  const period = () => ({ servicePoint: w.servicePoint, from: "2027-03-01", to: "2027-03-31" });

  it("counts the value handed over in the period, holding back a double redemption until it is resolved", async () => {
    const s = await readSettlement(t.ctx, period());
    expect(s.lines).toEqual([
      expect.objectContaining({
        programme: w.programme.code,
        cycleCode: "2027-03",
        kind: "money",
        unit: "KES",
        receipts: 4,
        payable: { receipts: 3, value: "7000" },
        held: { receipts: 1, value: "2500" },
        withheld: { receipts: 0, value: "0" },
      }),
    ]);
    const doubles = await readSettlementReceipts(t.ctx, period(), { doubles: true });
    expect(doubles.rows.map((r) => r.id)).toEqual([double]);

    await expect(resolveDoubleRedemption(t.ctx, { receiptId: double, resolution: "withhold", note: "ok" }, w.officer.actor)).rejects.toMatchObject({ name: "ZodError" });
    await expect(resolveDoubleRedemption(t.ctx, { receiptId: double, resolution: "withhold", note: "The same card twice" }, w.auditor.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
    await resolveDoubleRedemption(t.ctx, { receiptId: double, resolution: "withhold", note: "The same card twice in two days" }, w.officer.actor);
    await expect(resolveDoubleRedemption(t.ctx, { receiptId: double, resolution: "pay", note: "Changed my mind" }, w.officer.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    const single = (await readSettlementReceipts(t.ctx, period())).rows.find((r) => !r.doubleRedemption)!;
    await expect(resolveDoubleRedemption(t.ctx, { receiptId: single.id, resolution: "pay", note: "Not a double" }, w.officer.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
    // The settlement is a cached figure (read-cache.ts): once it takes a while to count (a loaded
    // machine), the read after the change answers the last figure while it is counted again.
    await vi.waitFor(async () => expect((await readSettlement(t.ctx, period())).lines[0]).toMatchObject({ payable: { receipts: 3, value: "7000" }, held: { receipts: 0 }, withheld: { receipts: 1, value: "2500" } }), { timeout: 15_000, interval: 200 });
    expect(await t.ctx.db.auditEvent.count({ where: { action: "receipt.resolve_double", subject: double } })).toBe(1);
    await expect(readSettlement(t.ctx, { ...period(), servicePoint: "sp-nowhere" })).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
    await expect(readSettlement(t.ctx, { ...period(), to: "2027-02-01" })).rejects.toMatchObject({ name: "ZodError" });
  });

  it("exports every receipt of the period as CSV and as a spreadsheet, each row carrying the device's signed receipt", async () => {
    const s = await readSettlement(t.ctx, period());
    const csv = parse((await read(csvStream(settlementTable(t.ctx, s, headers)))).toString("utf8"), { columns: true, bom: true }) as Record<string, string>[];
    expect(csv).toHaveLength(4);
    expect(csv.map((r) => r.amount)).toEqual(["2500", "2000", "2500", "2500"]);
    expect(csv.filter((r) => r.payable === "yes").reduce((a, r) => a + Number(r.amount), 0)).toBe(7000);
    // A CSV cell that starts like a formula ("-", "=", ...) carries a leading apostrophe.
    for (const row of csv) row.receipt = row.receipt!.replace(/^'/, "");
    expect(csv.find((r) => r.receipt === double)).toMatchObject({ double: "yes", resolution: "withhold", payable: "no", unit: "KES" });
    // The evidence is the receipt itself: it verifies against the device's enrolled key.
    for (const row of csv) expect((await verifyReceipt(row.signedReceipt!, async (id) => { const d = await t.ctx.db.device.findUnique({ where: { id } }); return d ? (JSON.parse(d.publicJwk) as { kty: "OKP"; crv: "Ed25519"; x: string }) : undefined; })).id).toBe(row.receipt);

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await read(xlsxStream(settlementTable(t.ctx, s, headers), settlementSummary(s, headers)))) as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((ws) => ws.name)).toEqual(["Summary", "sheet"]);
    const sheet = book.getWorksheet("sheet")!;
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getRow(1).values).toEqual([undefined, ...SETTLEMENT_HEADERS.slice(1, 14)]);
    const amounts = [2, 3, 4, 5].map((i) => sheet.getRow(i).getCell(6).value);
    expect(amounts).toEqual([2500, 2000, 2500, 2500]);
    const summary = book.getWorksheet("Summary")!;
    expect(summary.getRow(3).values).toEqual([undefined, `Cash transfer 2027-03: toPay`, "7000 KES (3)"]);
  });

  it("lists hand-overs newest first over a date range, for one point or one cycle, page by page", async () => {
    const march = { from: "2027-03-01", to: "2027-03-31" };
    const all = await readRedemptions(t.ctx, march);
    expect(all.rows.map((r) => r.redeemedAt.toISOString().slice(0, 10))).toEqual(["2027-03-31", "2027-03-05", "2027-03-04", "2027-03-03"]);
    expect(all.rows[0]).toMatchObject({ servicePoint: w.servicePoint, cycleId: w.cycleId, amount: "2500" });
    expect(all.servicePointNames.get(w.servicePoint)).toBe("Market stall");
    const first = await readRedemptions(t.ctx, march, { pageSize: 3 });
    const rest = await readRedemptions(t.ctx, { ...march, after: first.next! }, { pageSize: 3 });
    expect([...first.rows, ...rest.rows].map((r) => r.id)).toEqual(all.rows.map((r) => r.id));
    expect((await readRedemptions(t.ctx, { from: "2027-04-01", to: "2027-04-30" })).rows).toHaveLength(1);
    expect((await readRedemptions(t.ctx, { ...march, servicePoint: "sp-other" })).rows).toHaveLength(0);
    expect((await readRedemptions(t.ctx, { ...march, cycleId: w.cycleId })).rows).toHaveLength(4);
  });

  it("pages a period's receipts in hand-over order, those of the same instant by id, whatever the page size, in the list and the export", async () => {
    const at = new Date("2027-06-02T10:00:00Z");
    const receipt = (id: string, redeemedAt: Date) => ({
      id, entitlementKey: `k|${id}`, programme: w.programme.code, cycleCode: "2027-03", beneficiaryRef: "HK-X", servicePoint: "sp-ties", device: w.deviceId, amount: "1", redeemedAt, jws: "x.y.z",
    });
    for (const id of ["r-c", "r-a", "r-d"]) await t.ctx.db.receipt.create({ data: receipt(id, at) });
    await t.ctx.db.receipt.create({ data: receipt("r-b", new Date("2027-06-01T09:00:00Z")) });
    await t.ctx.db.receipt.create({ data: receipt("r-0", new Date("2027-07-01T00:00:00Z")) }); // the next period
    const june = { servicePoint: "sp-ties", from: "2027-06-01", to: "2027-06-30" };
    for (const pageSize of [1, 2, 3]) {
      const listed: string[] = [];
      for (let after: string | undefined, i = 0; i < 10; i++) {
        const page = await readSettlementReceipts(t.ctx, june, { after, pageSize });
        listed.push(...page.rows.map((r) => r.id));
        if (!page.next) break;
        after = page.next;
      }
      expect(listed, `page size ${pageSize}`).toEqual(["r-b", "r-a", "r-c", "r-d"]);
      const table = { name: "t", columns: [{ header: "id", value: (r: { id: string }) => r.id }], pages: () => settlementReceiptPages(t.ctx, june, pageSize) };
      expect((await read(csvStream(table))).toString("utf8"), `page size ${pageSize}`).toBe("\uFEFFid\nr-b\nr-a\nr-c\nr-d\n");
    }
  });

  it("never lets a cell start a spreadsheet formula", () => {
    expect(safeCell("=HYPERLINK(\"http://x\")")).toBe("'=HYPERLINK(\"http://x\")");
    expect(safeCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(safeCell("-12.5")).toBe("-12.5");
    expect(safeCell(-3)).toBe(-3);
    expect(safeCell("Amina")).toBe("Amina");
  });
});
