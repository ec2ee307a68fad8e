import type { Benefit } from "@haki/credentials/model";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { available, benefitTotal, planRedemption, type Balance } from "./ledger";

const cash: Benefit = { type: "Cash", amount: 3000, currency: "KES" };
const maize: Benefit = { type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" };
const key = "did:web:i|p|c|B-0001";

describe("ledger", () => {
  it("hands a single-use entitlement over whole, once", () => {
    const plan = planRedemption(
      { entitlement: key, benefit: cash, redemption: "single" },
      undefined,
      { receiptId: "r1", at: 10 },
    );
    expect(plan).toMatchObject({
      handedOver: { type: "Cash", amount: 3000, currency: "KES" },
      remaining: 0,
      balance: { receipts: ["r1"] },
    });
    expect(available({ benefit: cash, redemption: "single" }, plan.balance)).toBe(0);
    expect(() =>
      planRedemption({ entitlement: key, benefit: cash, redemption: "single" }, plan.balance, {
        receiptId: "r2",
        at: 11,
      }),
    ).toThrow(expect.objectContaining({ code: "ERR_ALREADY_REDEEMED" }));
  });

  it("refuses a part of a single-use entitlement", () => {
    expect(() =>
      planRedemption({ entitlement: key, benefit: cash, redemption: "single" }, undefined, {
        amount: 1000,
        receiptId: "r1",
        at: 1,
      }),
    ).toThrow(expect.objectContaining({ code: "ERR_PARTIAL_NOT_ALLOWED" }));
  });

  it("tracks the remaining balance of a partial entitlement", () => {
    const e = { entitlement: key, benefit: maize, redemption: "partial" as const };
    const p1 = planRedemption(e, undefined, { amount: 10, receiptId: "r1", at: 1 });
    expect(p1).toMatchObject({
      remaining: 15,
      handedOver: { type: "InKind", quantity: 10, unit: "kg", item: "Maize flour" },
    });
    const p2 = planRedemption(e, p1.balance, { amount: 15, receiptId: "r2", at: 2 });
    expect(p2.balance).toMatchObject({ remaining: 0, receipts: ["r1", "r2"] });
    expect(() => planRedemption(e, p2.balance, { amount: 1, receiptId: "r3", at: 3 })).toThrow(
      expect.objectContaining({ code: "ERR_BALANCE_USED_UP" }),
    );
  });

  it("refuses zero, negative, too much, and sub-cent cash", () => {
    const e = { entitlement: key, benefit: cash, redemption: "partial" as const };
    for (const [amount, code] of [
      [0, "ERR_AMOUNT_INVALID"],
      [-5, "ERR_AMOUNT_INVALID"],
      [Number.NaN, "ERR_AMOUNT_INVALID"],
      [10.005, "ERR_AMOUNT_INVALID"],
      [3000.01, "ERR_AMOUNT_EXCEEDS_BALANCE"],
    ] as const) {
      expect(() => planRedemption(e, undefined, { amount, receiptId: "r", at: 1 })).toThrow(
        expect.objectContaining({ code }),
      );
    }
  });

  it("hands over what is left when no amount is given", () => {
    const e = { entitlement: key, benefit: cash, redemption: "partial" as const };
    const p1 = planRedemption(e, undefined, { amount: 0.1, receiptId: "r1", at: 1 });
    const p2 = planRedemption(e, p1.balance, { receiptId: "r2", at: 2 });
    expect(p2.handedOver).toEqual({ type: "Cash", amount: 2999.9, currency: "KES" });
    expect(p2.remaining).toBe(0);
  });

  it("never hands over more than the entitlement, whatever the sequence of requests", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({ min: 1, max: 5000 }).map((c) => c / 100),
          { maxLength: 40 },
        ),
        (amounts) => {
          const e = {
            entitlement: key,
            benefit: { type: "Cash", amount: 30, currency: "KES" } as Benefit,
            redemption: "partial" as const,
          };
          let balance: Balance | undefined;
          let given = 0;
          for (const [i, amount] of amounts.entries()) {
            try {
              const plan = planRedemption(e, balance, { amount, receiptId: `r${i}`, at: i });
              balance = plan.balance;
              given += amount;
            } catch (err) {
              expect((err as { code: string }).code).toMatch(
                /ERR_AMOUNT_EXCEEDS_BALANCE|ERR_BALANCE_USED_UP/,
              );
            }
          }
          expect(given).toBeLessThanOrEqual(30 + 1e-6);
          expect(Math.abs(given + (balance?.remaining ?? 30) - 30)).toBeLessThan(1e-6);
        },
      ),
    );
  });

  it("counts a voucher without value as one", () => {
    expect(benefitTotal({ type: "Voucher", description: "School uniform" })).toBe(1);
  });
});
