import { createTranslator } from "@haki/i18n";
import { describe, expect, it } from "vitest";
import { benefitUnit, errorCode, formatAge, formatBenefit } from "./format";

const t = createTranslator("en", "verifier");
// Intl puts a no-break space between currency code and amount.
const plain = (s: string) => s.replace(/\u00a0/g, " ");

describe("formatting for the counter", () => {
  it("shows cash, in-kind and voucher benefits, whole or a part", () => {
    expect(plain(formatBenefit({ type: "Cash", amount: 3000, currency: "KES" }, "en", t))).toBe(
      "KES 3,000.00",
    );
    expect(
      formatBenefit(
        { type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" },
        "en",
        t,
        12.5,
      ),
    ).toBe("12.5 kg Maize flour");
    expect(formatBenefit({ type: "Voucher", description: "School uniform" }, "en", t)).toBe(
      "Voucher: School uniform",
    );
    expect(
      formatBenefit(
        { type: "Voucher", description: "Seeds", amount: 20, currency: "USD" },
        "en",
        t,
      ),
    ).toBe("Voucher: Seeds ($20.00)");
    expect(
      formatBenefit(
        { type: "Cash", amount: 1500, currency: "KES" },
        "sw",
        createTranslator("sw", "verifier"),
      ),
    ).toMatch(/1,500/);
  });

  it("names the unit a partial amount is typed in", () => {
    expect(benefitUnit({ type: "Cash", amount: 1, currency: "KES" })).toBe("KES");
    expect(benefitUnit({ type: "InKind", item: "Oil", quantity: 2, unit: "l" })).toBe("l");
  });

  it("says how old trust data is", () => {
    expect(formatAge(20_000, t)).toBe("just now");
    expect(formatAge(5 * 60_000, t)).toBe("5 min ago");
    expect(formatAge(3 * 3_600_000, t)).toBe("3 h ago");
    expect(formatAge(72 * 3_600_000, t)).toBe("3 d ago");
  });

  it("maps errors to reason codes", () => {
    expect(errorCode({ code: "ERR_STORAGE_FULL" })).toBe("ERR_STORAGE_FULL");
    expect(errorCode(new Error("x"))).toBe("ERR_UNKNOWN");
    expect(errorCode(null)).toBe("ERR_UNKNOWN");
  });
});
