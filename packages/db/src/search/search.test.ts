import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openBulkSql, upsertBeneficiariesStatement, type BeneficiaryRow } from "../bulk/index";
import { createTestDatabase, testProviders, type TestDatabase } from "../testing";
import { normalizeSearchText, prefixUpperBound, searchWords } from "./index";

describe("normalizeSearchText", () => {
  it("folds accents, case, punctuation and Arabic letter variants, in every script", () => {
    expect(normalizeSearchText("  Aïssata  Maïga-Touré ")).toBe("aissata maiga toure");
    expect(normalizeSearchText("AMINA WANJIRŨ")).toBe(normalizeSearchText("amina wanjiru"));
    expect(normalizeSearchText("أَحْمَد إبراهيم")).toBe("احمد ابراهيم");
    expect(normalizeSearchText("ሰላም ፡ አበበ")).toBe("ሰላም አበበ");
    expect(normalizeSearchText("สมชาย ใจดี")).toBe(normalizeSearchText("สมชาย  ใจดี"));
    expect(normalizeSearchText("ﬁfi")).toBe("fifi");
    expect(normalizeSearchText("\"';--")).toBe("");
  });

  it("gives the words longest first, once each", () => {
    expect(searchWords("Ali Moh ali")).toEqual(["ali", "moh"].sort((a, b) => b.length - a.length));
    expect(searchWords("Mohamed Ali")).toEqual(["mohamed", "ali"]);
  });

  it("bounds a prefix range so that every word with the prefix falls inside it, byte for byte", () => {
    const upper = prefixUpperBound("ali");
    for (const w of ["ali", "alia", "aliyu", "ali\u{2CEAF}"]) expect(w >= "ali" && w < upper).toBe(true);
    for (const w of ["alh", "alj", "am"]) expect(w >= "ali" && w < upper).toBe(false);
  });
});

describe.each(testProviders())("name tokens kept by the database on %s", (provider) => {
  let t: TestDatabase;
  const row = (n: number, displayName: string | null): BeneficiaryRow => ({
    id: `b${n}`,
    ref: `HK-TOK${n}`,
    registryIdHash: `h${n}`,
    rowHash: displayName ?? "none",
    displayName,
    area: "KE-047",
    householdSize: 3,
    povertyScore: 10,
    enrolment: "active",
    attributes: "{}",
  });
  const tokens = async () =>
    (await t.db.beneficiaryNameToken.findMany({ orderBy: [{ beneficiaryId: "asc" }, { token: "asc" }] })).map((r) => `${r.beneficiaryId}:${r.token}`);

  beforeAll(async () => {
    t = await createTestDatabase(provider);
    await t.db.registrySource.create({ data: { id: "src", name: "Registry", mapping: "{}" } });
  }, 60_000);
  afterAll(() => t?.drop());

  it("indexes each word of a folded name on import, replaces them when the name changes, and drops them with the row", async () => {
    const bulk = openBulkSql(t.url);
    try {
      const at = new Date("2027-03-01T08:00:00Z");
      await bulk.batch([upsertBeneficiariesStatement(bulk, { sourceId: "src", at, rows: [row(1, "Aïssata Maïga Maïga"), row(2, "أَحْمَد علي"), row(3, null)] })]);
      expect(await tokens()).toEqual(["b1:aissata", "b1:maiga", "b2:احمد", "b2:علي"]);
      expect((await t.db.beneficiary.findUniqueOrThrow({ where: { id: "b1" } })).searchName).toBe("aissata maiga maiga");
      await bulk.batch([upsertBeneficiariesStatement(bulk, { sourceId: "src", at, rows: [row(1, "Aïssata Touré"), row(3, "Wanjirũ")] })]);
      expect(await tokens()).toEqual(["b1:aissata", "b1:toure", "b2:احمد", "b2:علي", "b3:wanjiru"]);
    } finally {
      await bulk.close();
    }
    await t.db.beneficiary.update({ where: { id: "b2" }, data: { searchName: null } });
    await t.db.beneficiary.delete({ where: { id: "b3" } });
    expect(await tokens()).toEqual(["b1:aissata", "b1:toure"]);
  });

  it("finds every word with a prefix by an index range, whatever the database's collation", async () => {
    await t.db.beneficiary.createMany({
      data: ["zaïnab", "zainabou", "zaid", "Zahra"].map((name, i) => ({ id: `z${i}`, ref: `HK-Z${i}`, sourceId: "src", registryIdHash: `z${i}`, rowHash: "r", searchName: normalizeSearchText(name) })),
    });
    const found = await t.db.beneficiaryNameToken.findMany({ where: { token: { gte: "zain", lt: prefixUpperBound("zain") } }, orderBy: { token: "asc" } });
    expect(found.map((r) => r.token)).toEqual(["zainab", "zainabou"]);
  });
});
