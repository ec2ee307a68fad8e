import { describe, expect, it } from "vitest";
import { adminAreas } from "./areas";
import { generateRegistry } from "./generate";

describe("adminAreas", () => {
  it("names every area code the registry's households carry, once", () => {
    const areas = adminAreas();
    expect(new Set(areas.map((a) => a.code)).size).toBe(areas.length);
    expect(areas).toContainEqual({ code: "KE-047", name: "Nairobi" });
    const names = new Map(areas.map((a) => [a.code, a.name]));
    for (const h of generateRegistry({ households: 300, seed: 7 })) expect(names.get(h.address.admin_area_code)).toBe(h.address.admin_area_name);
  });
});
