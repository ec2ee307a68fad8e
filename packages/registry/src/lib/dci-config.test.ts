import { describe, expect, it } from "vitest";
import { DciSourceConfig } from "./dci-config";

describe("DCI source configuration", () => {
  const good = {
    baseUrl: "https://sr.example.gov/api",
    senderId: "haki",
    receiverId: "sr",
    query: { queryType: "idtype-value", query: { type: "UIN", value: "1" } },
    mapping: { group_identifier: "registryId" },
  };

  it("applies defaults and refuses bad settings", () => {
    expect(DciSourceConfig.parse(good)).toMatchObject({ recordType: "Group", pageSize: 500, locale: "eng", retries: 2, registryType: "ns:org:RegistryType:Social" });
    expect(DciSourceConfig.safeParse({ ...good, locale: "en" }).success).toBe(false);
    expect(DciSourceConfig.safeParse({ ...good, baseUrl: "ftp://sr.example.gov" }).success).toBe(false);
    expect(DciSourceConfig.safeParse({ ...good, mapping: { group_size: "householdSize" } }).success).toBe(false);
    expect(DciSourceConfig.safeParse({ ...good, query: { queryType: "sql", query: "select *" } }).success).toBe(false);
    expect(DciSourceConfig.safeParse({ ...good, query: { queryType: "predicate", query: [] } }).success).toBe(false);
    expect(DciSourceConfig.safeParse({ ...good, pageSize: 0 }).success).toBe(false);
  });
});
