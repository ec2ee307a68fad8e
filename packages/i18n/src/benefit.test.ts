import { describe, expect, it } from "vitest";
import { benefitUnit, describeBenefit, formatMoney } from "./benefit";

// Intl puts a no-break space between a currency code and the amount.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, " ");

describe("describeBenefit", () => {
  it("says cash, in kind and vouchers in the reader's number format", () => {
    expect(plain(describeBenefit({ type: "Cash", amount: 3000, currency: "KES" }, "en"))).toBe("KES 3,000");
    expect(plain(describeBenefit({ type: "Cash", amount: 3000, currency: "KES" }, "fr"))).toBe("3 000 KES");
    expect(describeBenefit({ type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" }, "en")).toBe("25 kg Maize flour");
    expect(describeBenefit({ type: "Voucher", description: "School uniform" }, "sw")).toBe("Vocha: School uniform");
    expect(plain(describeBenefit({ type: "Voucher", description: "Seeds", amount: 20, currency: "USD" }, "en"))).toBe("Voucher: Seeds (USD 20)");
    expect(describeBenefit({ type: "Voucher", description: "Seeds", amount: 2 }, "fr")).toBe("Bon : Seeds (2)");
  });

  it("says a part of it: what is left or handed over", () => {
    expect(describeBenefit({ type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" }, "en", { amount: 12.5 })).toBe("12.5 kg Maize flour");
    expect(plain(describeBenefit({ type: "Cash", amount: 3000, currency: "KES" }, "en", { amount: 1250.5 }))).toBe("KES 1,250.50");
    expect(describeBenefit({ type: "InKind", item: "Oil", quantity: 10, unit: "l" }, "ar", { amount: 4 })).toMatch(/^(4|٤) l Oil$/);
  });

  it("still reads with a currency code Intl does not know", () => {
    expect(formatMoney(12, "notacode", "en")).toBe("notacode 12");
  });

  it("names the unit a part is typed in", () => {
    expect(benefitUnit({ type: "Cash", amount: 1, currency: "KES" })).toBe("KES");
    expect(benefitUnit({ type: "InKind", item: "Oil", quantity: 2, unit: "l" })).toBe("l");
    expect(benefitUnit({ type: "Voucher", description: "x" })).toBe("");
  });
});
