import { describe, expect, it } from "vitest";
import { MissingGlyphError } from "../errors";
import { encodeSimpleGlyph } from "./fontkit-fix";
import { loadFonts, splitRuns } from "./fonts";

describe("splitRuns", () => {
  it("keeps one run for a Latin name and picks the extended Latin font only where needed", async () => {
    const fonts = await loadFonts();
    expect(splitRuns("Amina Wanjiru", fonts)).toEqual({ runs: [{ text: "Amina Wanjiru", font: "latin", rtl: false }], rtl: false });
    expect(splitRuns("Şahin", fonts).runs.map((r) => r.font)).toEqual(["latin-ext", "latin"]);
  });

  it("lays an Arabic line out right to left with its digits left to right", async () => {
    const fonts = await loadFonts();
    const line = splitRuns("فاطمة 2027", fonts);
    expect(line.rtl).toBe(true);
    // Visual order, left to right: the number, then the name.
    expect(line.runs.map((r) => [r.text.trim(), r.font, r.rtl])).toEqual([
      ["2027", "latin", false],
      ["فاطمة", "arabic", true],
    ]);
  });

  it("keeps the space between a number and the Arabic word that follows it", async () => {
    const fonts = await loadFonts();
    // "1 April 2027" in Arabic, logical order: 1, space, April, space, 2027.
    const line = splitRuns("1 أبريل 2027", fonts);
    expect(line.rtl).toBe(true);
    expect(line.runs.map((r) => r.text)).toEqual(["2027", "أبريل ", " 1"]);
  });

  it("calls a line left to right when its first letter is Latin, even with Arabic after", async () => {
    const fonts = await loadFonts();
    const line = splitRuns("Card 7Q2X رقم", fonts);
    expect(line.rtl).toBe(false);
    expect(line.runs.map((r) => r.font)).toEqual(["latin", "arabic"]);
  });

  it("sends Ethiopic and Thai to their fonts", async () => {
    const fonts = await loadFonts();
    expect(splitRuns("አበበ በቂላ", fonts).runs).toEqual([{ text: "አበበ በቂላ", font: "ethiopic", rtl: false }]);
    expect(splitRuns("สมชาย ใจดี", fonts).runs).toEqual([{ text: "สมชาย ใจดี", font: "thai", rtl: false }]);
  });

  it("throws ERR_GLYPH_MISSING for a script it has no font for", async () => {
    const fonts = await loadFonts();
    expect(() => splitRuns("Li 王", fonts)).toThrow(MissingGlyphError);
  });
});

describe("encodeSimpleGlyph", () => {
  it("writes a TrueType simple glyph, padded to an even length", () => {
    const square = [[
      { onCurve: true, x: 10, y: 0 },
      { onCurve: true, x: 110, y: 0 },
      { onCurve: false, x: 110.4, y: 100 },
    ]];
    const bytes = encodeSimpleGlyph(square);
    const view = new DataView(bytes.buffer);
    expect(bytes.length % 2).toBe(0);
    expect([view.getInt16(0), view.getInt16(2), view.getInt16(4), view.getInt16(6), view.getInt16(8)]).toEqual([1, 10, 0, 110, 100]);
    expect(view.getUint16(10)).toBe(2); // last point index of the contour
    expect(view.getUint16(12)).toBe(0); // no instructions
    expect([...bytes.subarray(14, 17)]).toEqual([1, 1, 0]); // on, on, off curve
    expect(view.getInt16(17)).toBe(10); // first x delta
    expect(encodeSimpleGlyph([])).toHaveLength(0);
  });
});
