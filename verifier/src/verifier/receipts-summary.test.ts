import { generateKeyPair } from "@haki/credentials/keys";
import { newReceiptId, signReceipt, type HandedOver, type Receipt } from "@haki/redemption/receipts";
import { outboxItemFor } from "@haki/redemption/sync-queue";
import { describe, expect, it } from "vitest";
import { readReceiptLines, summarizeReceipts } from "./receipts-summary";

const key = await generateKeyPair({ extractable: false });

async function receipt(handedOver: HandedOver, at: string, cycle = "2027-03"): Promise<{ r: Receipt; jws: string }> {
  const r: Receipt = {
    v: 1,
    id: newReceiptId(),
    entitlement: "e",
    issuer: "did:web:pay.example.org",
    programme: handedOver.type === "Cash" ? "cash" : "food",
    cycle,
    beneficiary: "BEN-1",
    servicePoint: "sp-1",
    device: "dev-1",
    redemption: "partial",
    handedOver,
    remaining: 0,
    visualCheck: false,
    at: Date.parse(at) / 1000,
  };
  return { r, jws: await signReceipt(r, { privateKey: key.privateKey, deviceId: "dev-1" }) };
}

describe("the clerk's books", () => {
  it("lists receipts with the name shown and totals per day and per round, stock in kind included", async () => {
    const flour = (quantity: number): HandedOver => ({ type: "InKind", quantity, unit: "kg", item: "Maize flour" });
    const rs = [
      await receipt(flour(4), "2027-03-10T08:00:00Z"),
      await receipt(flour(6.5), "2027-03-10T15:00:00Z"),
      await receipt({ type: "Cash", amount: 2500, currency: "KES" }, "2027-03-10T16:00:00Z"),
      await receipt(flour(10), "2027-03-11T09:00:00Z", "2027-04"),
      await receipt({ type: "Voucher" }, "2027-03-11T10:00:00Z"),
    ];
    const outbox = rs.map(({ r, jws }, i) => ({ ...outboxItemFor(r, jws, r.at * 1000), ...(i === 0 ? { state: "sent" as const } : {}) }));
    outbox.push({ ...outbox[0]!, id: "broken", jws: "not.a.receipt" });
    const lines = readReceiptLines(outbox, [{ receipt: rs[0]!.r.id, displayName: "Amina Wanjiru", presentation: "urn:uuid:p1" }]);
    expect(lines).toHaveLength(5);
    expect(lines.at(-1)).toMatchObject({ id: rs[0]!.r.id, name: "Amina Wanjiru", state: "sent", handedOver: flour(4) });
    expect(lines[0]?.handedOver).toEqual({ type: "Voucher" });

    const s = summarizeReceipts(lines, { timeZone: "Africa/Nairobi" });
    expect(s.days).toEqual([
      { day: "2027-03-11", count: 2, totals: [{ type: "InKind", item: "Maize flour", unit: "kg", quantity: 10 }, { type: "Voucher", count: 1, amount: 0 }] },
      {
        day: "2027-03-10",
        count: 3,
        totals: [
          { type: "Cash", currency: "KES", amount: 2500 },
          { type: "InKind", item: "Maize flour", unit: "kg", quantity: 10.5 },
        ],
      },
    ]);
    expect(s.cycles.map((c) => [c.programme, c.cycle, c.count])).toEqual([
      ["cash", "2027-03", 1],
      ["food", "2027-04", 1],
      ["food", "2027-03", 3],
    ]);
    // Days follow the device's time zone: 22:00 UTC is already the next day in Nairobi.
    const late = readReceiptLines([outboxItemFor((await receipt(flour(1), "2027-03-10T22:00:00Z")).r, (await receipt(flour(1), "2027-03-10T22:00:00Z")).jws, 0)], []);
    expect(summarizeReceipts(late, { timeZone: "Africa/Nairobi" }).days[0]?.day).toBe("2027-03-11");
    expect(summarizeReceipts(late, { timeZone: "UTC" }).days[0]?.day).toBe("2027-03-10");
  });
});
