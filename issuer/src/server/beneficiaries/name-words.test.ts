/** Which word of a name search walks the index (issue 15: a million people, p95 under 300 ms). */
import { describe, expect, it } from "vitest";
import { normalizeSearchText, searchWords } from "@haki/db/search";
import { testProviders } from "@haki/db/testing";
import { newBeneficiaryRef, newId } from "@/server/lib/ids";
import { useTestContext } from "@/test/suite";
import { searchBeneficiaries } from "./search-beneficiaries";
import { orderNameWords, wordsFirst } from "./name-words";

const PEOPLE: [string, string][] = [
  ["Abdoulaye Habsatou", "A"],
  ["Abdoulaye Habsa", "B"],
  ["Abdoulaye Traoré", "B"],
  ["Abdoulaye Keita", "B"],
  ["Abdoulaye Diallo", "C"],
  ["Abdoulaye Sow", "C"],
  ["Habiba Sow", "C"],
];

describe.each(testProviders())("the word a name search walks on %s", (provider) => {
  const t = useTestContext(provider);

  const seed = async () => {
    await t.ctx.db.registrySource.create({ data: { id: "src", name: "Registry", mapping: "{}" } });
    for (const [name, area] of PEOPLE)
      await t.ctx.db.beneficiary.create({
        data: {
          id: newId(),
          ref: newBeneficiaryRef(),
          sourceId: "src",
          registryIdHash: newId(),
          rowHash: "r",
          displayName: name,
          searchName: normalizeSearchText(name),
          area,
        },
      });
  };

  it("walks the word fewer people carry, not the longest, and a search's later pages keep the word its first page walked", async () => {
    await seed();
    // "abdoulaye" is the longer word but six people carry it; "habs" two.
    expect(await orderNameWords(t.ctx, searchWords("abdoulaye habs"))).toEqual({
      lead: "habs",
      rest: ["abdoulaye"],
      leadCount: 2,
    });
    expect((await orderNameWords(t.ctx, searchWords("abdoulaye habs"), "abdoulaye")).lead).toBe("abdoulaye");
    expect((await orderNameWords(t.ctx, searchWords("abdoulaye habs"), "elsewhere")).lead).toBe("habs");
    const found: string[] = [];
    for (let after: string | undefined, i = 0; i < 5; i++) {
      const page = await searchBeneficiaries(t.ctx, { by: "name", q: "abdoulaye habs", after }, { pageSize: 1 });
      found.push(...page.rows.map((r) => r.displayName!));
      if (!page.next) break;
      after = page.next;
    }
    expect(found.sort()).toEqual(["Abdoulaye Habsa", "Abdoulaye Habsatou"]);
  });

  it("finds the same people of an area whether it starts from the words or from the area's people", async () => {
    // Area A (one person) is smaller than the word's two people: the area's people are read first;
    // area B (three) is larger: the word's range is walked.
    expect(wordsFirst(2, 1)).toBe(false);
    expect(wordsFirst(2, 3)).toBe(true);
    const names = async (area: string) => (await searchBeneficiaries(t.ctx, { by: "name", q: "habs", area })).rows.map((r) => r.displayName);
    expect(await names("A")).toEqual(["Abdoulaye Habsatou"]);
    expect(await names("B")).toEqual(["Abdoulaye Habsa"]);
    expect(await names("C")).toEqual([]);
    const pages: string[] = [];
    for (let after: string | undefined, i = 0; i < 5; i++) {
      const page = await searchBeneficiaries(t.ctx, { by: "name", q: "abd", area: "B", after }, { pageSize: 2 });
      pages.push(...page.rows.map((r) => r.displayName!));
      if (!page.next) break;
      after = page.next;
    }
    expect(pages.sort()).toEqual(["Abdoulaye Habsa", "Abdoulaye Keita", "Abdoulaye Traoré"]);
  });

  it("a large word and a large area: the word's range is walked; a large word and a small area: the area's people", () => {
    expect(wordsFirst(5_000, 5_000)).toBe(true);
    expect(wordsFirst(5_000, 800)).toBe(false);
    expect(wordsFirst(100, 5_000)).toBe(true);
  });
});
