import { createTranslator } from "@haki/i18n";
import { describe, expect, it } from "vitest";
import { formatAge } from "./format";

const t = createTranslator("en", "verifier");

describe("formatting for the counter", () => {
  it("says how old trust data is", () => {
    expect(formatAge(20_000, t)).toBe("just now");
    expect(formatAge(5 * 60_000, t)).toBe("5 min ago");
    expect(formatAge(3 * 3_600_000, t)).toBe("3 h ago");
    expect(formatAge(72 * 3_600_000, t)).toBe("3 d ago");
  });
});
