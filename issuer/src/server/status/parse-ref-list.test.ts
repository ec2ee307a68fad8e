import { describe, expect, it } from "vitest";
import { parseRefList } from "./parse-ref-list";
import { describeStatusReason, reasonsFor, statusReasonText } from "./status-reasons";

describe("parseRefList", () => {
  it("reads one reference per line, skipping blanks and counting repeats once", () => {
    expect(parseRefList("HK-7M2Q9XK4TB\r\n\r\n  HK-2BD8RW1Q0P \nHK-7M2Q9XK4TB\n")).toEqual({ refs: ["HK-7M2Q9XK4TB", "HK-2BD8RW1Q0P"], invalid: [], duplicates: 1 });
  });

  it("takes the named column of a CSV export (BOM, quotes, semicolons)", () => {
    const csv = '\uFEFFdate_of_death;"Beneficiary ref";district\n2027-03-01;"HK-7M2Q9XK4TB";KE-047\n2027-03-02;HK-2BD8RW1Q0P;KE-047\n';
    expect(parseRefList(csv)).toEqual({ refs: ["HK-7M2Q9XK4TB", "HK-2BD8RW1Q0P"], invalid: [], duplicates: 0 });
  });

  it("takes the first column of a CSV whose header names no reference column, and of one without a header", () => {
    expect(parseRefList("card,notes\nHK-7M2Q9XK4TB,x\n").refs).toEqual(["HK-7M2Q9XK4TB"]);
    expect(parseRefList("id,notes\nHK-7M2Q9XK4TB,x\n").refs).toEqual(["HK-7M2Q9XK4TB"]);
    expect(parseRefList("HK-7M2Q9XK4TB,x\nHK-2BD8RW1Q0P,y\n").refs).toEqual(["HK-7M2Q9XK4TB", "HK-2BD8RW1Q0P"]);
  });

  it("reports the lines that are not references, with their line numbers", () => {
    const r = parseRefList("HK-7M2Q9XK4TB\nJohn Doe\n\nHK;DROP\nab\n");
    expect(r.refs).toEqual(["HK-7M2Q9XK4TB"]);
    expect(r.invalid).toEqual([
      { line: 2, value: "John Doe" },
      { line: 4, value: "HK;DROP" },
      { line: 5, value: "ab" },
    ]);
  });

  it("gives nothing for empty text", () => {
    expect(parseRefList(" \n\n")).toEqual({ refs: [], invalid: [], duplicates: 0 });
  });
});

describe("status reasons", () => {
  it("offers only the reasons that fit an action", () => {
    expect(reasonsFor("revoke")).toEqual(["death", "exit", "duplicate", "ineligible", "other"]);
    expect(reasonsFor("reinstate")).toEqual(["cleared", "error", "other"]);
  });

  it("stores the fixed English text with the note, and reads it back", () => {
    expect(statusReasonText("death", " CRVS list 2027-03-02 ")).toBe("Death notified by CRVS — CRVS list 2027-03-02");
    expect(describeStatusReason("Death notified by CRVS — CRVS list 2027-03-02")).toEqual({ code: "death", note: "CRVS list 2027-03-02" });
    expect(describeStatusReason("Under review")).toEqual({ code: "review", note: "" });
    expect(statusReasonText("other", "Moved abroad")).toBe("Moved abroad");
    expect(describeStatusReason("Moved abroad")).toEqual({ note: "Moved abroad" });
    // A free-text reason that merely starts like a known one is not mistaken for it.
    expect(describeStatusReason("Under reviewing")).toEqual({ note: "Under reviewing" });
  });
});
