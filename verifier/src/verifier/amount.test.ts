import { describe, expect, it } from "vitest";
import { checkAmount } from "./amount";

describe("checkAmount", () => {
  it("says what is left after a valid amount", () => {
    expect(checkAmount("4", 10)).toEqual({ ok: true, amount: 4, left: 6 });
    expect(checkAmount(" 4,5 ", 10)).toEqual({ ok: true, amount: 4.5, left: 5.5 });
    expect(checkAmount("6", 6)).toEqual({ ok: true, amount: 6, left: 0 });
    expect(checkAmount("٤٫٥", 10)).toEqual({ ok: true, amount: 4.5, left: 5.5 });
    expect(checkAmount("0.1", 0.3)).toEqual({ ok: true, amount: 0.1, left: 0.2 });
  });

  it("refuses more than what is left, nothing, negative and not-a-number amounts", () => {
    expect(checkAmount("8", 6)).toEqual({ ok: false, code: "ERR_AMOUNT_EXCEEDS_BALANCE" });
    for (const bad of ["-2", "0", "", "abc", "1e3", "2..5", "Infinity"]) expect(checkAmount(bad, 10), bad).toEqual({ ok: false, code: "ERR_AMOUNT_INVALID" });
  });
});
