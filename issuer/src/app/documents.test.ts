// The documents credentials point at, served as the package holds them: JSON-LD contexts (v1, v2),
// JSON Schemas (v1, v2) and the SD-JWT VC type metadata of the entitlement's vct.
import { describe, expect, it } from "vitest";
import contextV1 from "@haki/credentials/contexts/entitlement-v1.json";
import contextV2 from "@haki/credentials/contexts/entitlement-v2.json";
import schemaV1 from "@haki/credentials/schemas/entitlement-v1.json";
import schemaV2 from "@haki/credentials/schemas/entitlement-v2.json";
import { buildEntitlementTypeMetadata } from "@haki/credentials/sd-jwt-metadata";
import { ENTITLEMENT_VCT } from "@haki/credentials/sd-jwt";
import { GET as getContextV1 } from "./contexts/entitlement/v1/route";
import { GET as getContextV2 } from "./contexts/entitlement/v2/route";
import { GET as getSchemaV1 } from "./schemas/entitlement/v1.json/route";
import { GET as getSchemaV2 } from "./schemas/entitlement/v2.json/route";
import { GET as getVct } from "./vct/entitlement/v1/route";

describe("published documents", () => {
  it.each([
    ["/contexts/entitlement/v1", getContextV1, contextV1, "application/ld+json"],
    ["/contexts/entitlement/v2", getContextV2, contextV2, "application/ld+json"],
    ["/schemas/entitlement/v1.json", getSchemaV1, schemaV1, "application/schema+json"],
    ["/schemas/entitlement/v2.json", getSchemaV2, schemaV2, "application/schema+json"],
    ["/vct/entitlement/v1", getVct, buildEntitlementTypeMetadata(), "application/json"],
  ] as const)("GET %s serves the package's document, cacheable, to any origin", async (_path, get, doc, type) => {
    const res = get();
    expect(res.headers.get("content-type")).toBe(type);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(await res.json()).toEqual(doc);
  });

  it("the type metadata names the vct SD-JWT VCs carry", async () => {
    expect(((await getVct().json()) as { vct: string }).vct).toBe(ENTITLEMENT_VCT);
  });
});
