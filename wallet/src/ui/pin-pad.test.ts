import { createTranslator } from "@haki/i18n";
import { describe, expect, it, vi } from "vitest";
import { enterNewPin } from "./pin-pad";

describe("enterNewPin", () => {
  const t = createTranslator("en", "wallet");
  const steps = () => ({ setError: vi.fn(), again: vi.fn(), restart: vi.fn() });

  it("asks again for an acceptable PIN, and refuses a weak one in plain words", () => {
    const ok = steps();
    expect(enterNewPin("482913", undefined, t, ok)).toBeUndefined();
    expect(ok.setError).toHaveBeenCalledWith(undefined);
    expect(ok.again).toHaveBeenCalledWith("482913");
    const weak = steps();
    expect(enterNewPin("111111", undefined, t, weak)).toBeUndefined();
    expect(weak.setError).toHaveBeenCalledWith(t("pin.weak"));
    expect(weak.again).not.toHaveBeenCalled();
    expect(weak.restart).not.toHaveBeenCalled();
  });

  it("gives the PIN when the second entry is the same, and starts over when it is not", () => {
    expect(enterNewPin("482913", "482913", t, steps())).toBe("482913");
    const other = steps();
    expect(enterNewPin("482914", "482913", t, other)).toBeUndefined();
    expect(other.setError).toHaveBeenCalledWith(t("pin.mismatch"));
    expect(other.restart).toHaveBeenCalled();
  });
});
