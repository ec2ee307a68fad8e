import { describe, expect, it } from "vitest";
import { DemoDataError } from "./errors";
import { COUNTRY_CODES, DEFAULT_AS_OF, DEFAULT_MIX, generateRegistry, type Household, type RegistryOptions } from "./generate";
import { isoDateFromDays } from "./lib/dates";

const ARABIC = /^[\p{Script=Arabic} ]+$/u;
const ETHIOPIC = /^[\p{Script=Ethiopic} ]+$/u;
const THAI = /^[\p{Script=Thai} ]+$/u;
const LATIN = /^[\p{Script=Latin}' -]+$/u;

const registry2000 = [...generateRegistry({ households: 2000, seed: 7 })];

function isRealDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function ageAt(birth: string, asOf: string): number {
  const [by, bm, bd] = birth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = asOf.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

function expectOptionsError(options: RegistryOptions) {
  let caught: unknown;
  try {
    Array.from(generateRegistry(options));
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DemoDataError);
  expect((caught as DemoDataError).code).toBe("ERR_DEMO_DATA_OPTIONS");
}

describe("generateRegistry", () => {
  it("gives the same registry for the same seed and a different one for another seed", () => {
    expect([...generateRegistry({ households: 2000, seed: 7 })]).toEqual(registry2000);
    const other = [...generateRegistry({ households: 2000, seed: 8 })];
    expect(other).not.toEqual(registry2000);
    // Not just shifted: most households differ in their head's name.
    const same = other.filter((h, i) => h.members[0].given_name === registry2000[i]!.members[0].given_name).length;
    expect(same).toBeLessThan(400);
  });

  it("keeps household i the same whatever the count, and pages from `start` without the ones before", () => {
    const first = [...generateRegistry({ households: 50, seed: 7 })];
    expect(first).toEqual(registry2000.slice(0, 50));
    const page = [...generateRegistry({ households: 1300, seed: 7, start: 1200 })];
    expect(page).toEqual(registry2000.slice(1200, 1300));
    expect([...generateRegistry({ households: 10, seed: 7, start: 10 })]).toEqual([]);
  });

  it("is lazy: a huge registry yields its first household at once", () => {
    const it = generateRegistry({ households: 99_999_999, seed: 1 });
    expect(it.next().value).toMatchObject({ group_identifier: expect.stringMatching(/^SR-[A-Z]{2}-0000001$/) });
  });

  it("yields exactly the households asked for, with unique well-formed ids", () => {
    expect(registry2000).toHaveLength(2000);
    const ids = new Set<string>();
    registry2000.forEach((h, i) => {
      expect(h.group_identifier).toBe(`SR-${h.country_code}-${String(i + 1).padStart(7, "0")}`);
      ids.add(h.group_identifier);
      h.members.forEach((p, k) => {
        expect(p.identifier).toBe(`${h.group_identifier}-${String(k + 1).padStart(2, "0")}`);
        ids.add(p.identifier);
      });
    });
    const persons = registry2000.reduce((n, h) => n + h.group_size, 0);
    expect(ids.size).toBe(2000 + persons);
    expect([...generateRegistry({ households: 0, seed: 7 })]).toEqual([]);
  });

  it("holds the DCI fields and nothing else (data minimisation)", () => {
    for (const h of registry2000) {
      expect(Object.keys(h).sort()).toEqual(["address", "country_code", "group_identifier", "group_size", "members", "poverty_score"]);
      expect(Object.keys(h.address).sort()).toEqual(["admin_area_code", "admin_area_name", "village"]);
      h.members.forEach((p, k) => {
        const keys = ["birth_date", "given_name", "identifier", "sex", "surname"];
        expect(Object.keys(p).sort()).toEqual(p.phone_number ? [...keys, "phone_number"].sort() : keys);
        // Only heads have a phone number on file.
        if (k > 0) expect(p.phone_number).toBeUndefined();
      });
    }
  });

  it("draws believable households: sizes, ages, birth dates, scores, areas and phones", () => {
    const sizes = registry2000.map((h) => h.group_size);
    for (const h of registry2000) {
      expect(h.group_size).toBe(h.members.length);
      expect(h.group_size).toBeGreaterThanOrEqual(1);
      expect(h.group_size).toBeLessThanOrEqual(15);
      expect(h.poverty_score).toBeGreaterThanOrEqual(0);
      expect(h.poverty_score).toBeLessThanOrEqual(100);
      expect(Math.round(h.poverty_score * 10) / 10).toBe(h.poverty_score);
      expect(h.address.admin_area_code).toMatch(new RegExp(`^${h.country_code}-[A-Z0-9]{1,3}$`));
      expect(h.address.admin_area_code).toMatch(/^[A-Za-z0-9._:-]{1,64}$/); // what @haki/registry accepts
      const head = h.members[0];
      expect(ageAt(head.birth_date, DEFAULT_AS_OF)).toBeGreaterThanOrEqual(18);
      for (const p of h.members) {
        expect(isRealDate(p.birth_date), p.birth_date).toBe(true);
        expect(p.birth_date <= DEFAULT_AS_OF).toBe(true);
        expect(["male", "female"]).toContain(p.sex);
      }
      if (head.phone_number) expect(head.phone_number).toMatch(/^\+\d{10,12}$/);
    }
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeGreaterThan(3);
    expect(mean).toBeLessThan(6.5);
    expect(registry2000.filter((h) => h.members[0].phone_number).length / 2000).toBeGreaterThan(0.4);
    expect(registry2000.filter((h) => !h.members[0].phone_number).length).toBeGreaterThan(100);
    expect(registry2000.filter((h) => h.members[0].sex === "female").length / 2000).toBeGreaterThan(0.1);
    // Bigger households score poorer on average, as a PMT would have it.
    const avg = (xs: Household[]) => xs.reduce((a, h) => a + h.poverty_score, 0) / xs.length;
    expect(avg(registry2000.filter((h) => h.group_size >= 7))).toBeLessThan(avg(registry2000.filter((h) => h.group_size <= 3)));
  });

  it("writes names in the script of each region: Latin, Arabic, Ge'ez and Thai, in NFC", () => {
    const script: Record<string, RegExp> = { KE: LATIN, TZ: LATIN, ML: LATIN, NE: LATIN, SD: ARABIC, TD: ARABIC, ET: ETHIOPIC, TH: THAI };
    const seen = new Set<string>();
    for (const h of registry2000) {
      seen.add(h.country_code);
      for (const p of h.members) {
        for (const name of [p.given_name, p.surname]) {
          expect(name, `${h.country_code} ${name}`).toMatch(script[h.country_code]!);
          expect(name.normalize("NFC")).toBe(name);
        }
      }
    }
    expect([...seen].sort()).toEqual([...COUNTRY_CODES].sort());
    const all = registry2000.flatMap((h) => h.members.map((p) => `${p.given_name} ${p.surname}`)).join("\n");
    expect(all).toMatch(/[\u0600-\u06FF]/); // Arabic block
    expect(all).toMatch(/[\u1200-\u137F]/); // Ethiopic block
    expect(all).toMatch(/[\u0E00-\u0E7F]/); // Thai block
    expect(all).toMatch(/[éïë]/); // Latin with diacritics (Traoré, Keïta...)
  });

  it("follows the country mix", () => {
    const counts = new Map<string, number>();
    for (const h of registry2000) counts.set(h.country_code, (counts.get(h.country_code) ?? 0) + 1);
    const total = Object.values(DEFAULT_MIX).reduce((a, b) => a + b, 0);
    for (const code of COUNTRY_CODES) {
      const expected = (DEFAULT_MIX[code] / total) * 2000;
      expect(counts.get(code) ?? 0).toBeGreaterThan(expected * 0.7);
      expect(counts.get(code) ?? 0).toBeLessThan(expected * 1.3);
    }
    const thai = [...generateRegistry({ households: 200, seed: 3, mix: { TH: 1 } })];
    expect(new Set(thai.map((h) => h.country_code))).toEqual(new Set(["TH"]));
    const two = [...generateRegistry({ households: 400, seed: 3, mix: { ET: 1, SD: 3, KE: 0 } })];
    const et = two.filter((h) => h.country_code === "ET").length;
    expect(new Set(two.map((h) => h.country_code))).toEqual(new Set(["ET", "SD"]));
    expect(et).toBeGreaterThan(60);
    expect(et).toBeLessThan(140);
  });

  it("uses patronymic surnames in Ethiopia, Sudan and Chad, and family names elsewhere", () => {
    let checked = 0;
    for (const h of registry2000) {
      const [head, ...rest] = h.members;
      const profile = ["ET", "SD", "TD"].includes(h.country_code) ? "patronymic" : "family";
      const children = rest.filter((p) => ageAt(p.birth_date, DEFAULT_AS_OF) < ageAt(head.birth_date, DEFAULT_AS_OF) - 15);
      if (head.sex !== "male" || children.length === 0) continue;
      for (const c of children) {
        // A male elder older than the head would not be in `children`, so these are the head's children.
        expect(c.surname).toBe(profile === "patronymic" ? head.given_name : head.surname);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it("counts ages from `asOf`, never from the clock", () => {
    const a = [...generateRegistry({ households: 20, seed: 5, asOf: "2030-01-01" })];
    const b = [...generateRegistry({ households: 20, seed: 5, asOf: "2030-01-01" })];
    expect(a).toEqual(b);
    for (const h of a) for (const p of h.members) expect(p.birth_date <= "2030-01-01").toBe(true);
    expect(a.some((h) => h.members.some((p) => p.birth_date > DEFAULT_AS_OF))).toBe(true);
  });

  it("refuses bad options with ERR_DEMO_DATA_OPTIONS", () => {
    expectOptionsError({ households: -1, seed: 1 });
    expectOptionsError({ households: 1.5, seed: 1 });
    expectOptionsError({ households: 10, seed: 2 ** 32 });
    expectOptionsError({ households: 10, seed: -1 });
    expectOptionsError({ households: 10, seed: 1, mix: {} });
    expectOptionsError({ households: 10, seed: 1, mix: { KE: 0 } });
    expectOptionsError({ households: 10, seed: 1, mix: { KE: -1, TH: 1 } });
    expectOptionsError({ households: 10, seed: 1, mix: { XX: 1 } as never });
    expectOptionsError({ households: 10, seed: 1, asOf: "2026-02-30" });
    expectOptionsError({ households: 10, seed: 1, start: -1 });
  });
});

describe("isoDateFromDays", () => {
  it("matches Date for every day from 1900 to 2100", () => {
    const from = Date.UTC(1900, 0, 1) / 86_400_000;
    const to = Date.UTC(2100, 11, 31) / 86_400_000;
    for (let d = from; d <= to; d++) {
      const expected = new Date(d * 86_400_000).toISOString().slice(0, 10);
      if (isoDateFromDays(d) !== expected) expect(isoDateFromDays(d)).toBe(expected);
    }
  });
});
