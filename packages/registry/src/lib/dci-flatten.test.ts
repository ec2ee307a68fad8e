import { describe, expect, it } from "vitest";
import { DCI_SPEC_GROUP } from "../dci-testing";
import { flattenDciRecord } from "./dci-flatten";

describe("DCI record flattening", () => {
  it("flattens identifiers by type, names, list lengths, and skips JSON-LD keywords", () => {
    const cells = flattenDciRecord(DCI_SPEC_GROUP)!;
    expect(cells).toMatchObject({
      group_identifier: "G9876543210",
      "group_identifier.NationalID": "G9876543210",
      "group_head_info.demographic_info.name": "Alice Smith",
      "member_list.length": "2",
      "member_list.1.member_identifier": "M987654323",
      "place.geo.latitude": "40.712776",
      "additional_attributes.0.services": "receives_subsidy",
    });
    expect(Object.keys(cells).some((k) => k.includes("@"))).toBe(false);
    expect(flattenDciRecord(null)).toBeUndefined();
    expect(flattenDciRecord([1])).toBeUndefined();
  });
});
