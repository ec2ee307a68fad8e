import { describe, expect, it } from "vitest";
import { LOCALES } from "@haki/i18n";
import { formatters } from "./format";

describe("formatters: dates, numbers and money in the reader's language", () => {
  const at = new Date("2027-03-05T14:07:00Z");

  it("writes every kind of value in each language", () => {
    for (const locale of LOCALES) {
      const f = formatters(locale);
      expect(f.date(at)).not.toBe("");
      expect(f.dateTime(at)).toMatch(/UTC|GMT|ت.ع.م|غرينتش/);
      expect(f.count(1234567)).not.toBe("1234567");
      expect(f.money("2500.5", "KES")).toContain("KES");
      expect(f.quantity("12.5", "kg")).toContain("kg");
      expect(f.percent(1, 4)).not.toBe("");
    }
  });

  it("follows each language's conventions", () => {
    expect(formatters("en").money("2500.5", "KES")).toBe("KES\u00a02,500.50");
    expect(formatters("fr").count(1234567)).toBe("1\u202f234\u202f567");
    expect(formatters("fr").date(at)).toBe("5 mars 2027");
    expect(formatters("en").dateTime(at)).toBe("Mar 5, 2027, 02:07 PM UTC");
    expect(formatters("ar").date(at)).toContain("2027");
    expect(formatters("ar").dateTime(at)).not.toBe(formatters("en").dateTime(at));
    expect(formatters("sw").date(at)).toMatch(/2027/);
  });

  it("leaves out what is missing, and a currency that is not a code is a plain number", () => {
    const f = formatters("en");
    expect(f.date(null)).toBe("");
    expect(f.money(null, "KES")).toBe("");
    expect(f.money("12", "kg")).toBe("12");
    expect(f.quantity("", "kg")).toBe("");
  });
});
