import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createIssuedCycle } from "@/test/fixtures";
import { buildTrustBundle } from "@/server/verifier/service-points";
import { readJsonColumn, readStoredValue } from "./json-column";
import { useTestContext } from "@/test/suite";

describe("readJsonColumn", () => {
  const Programmes = z.array(z.string());

  it("reads what the schema describes", () => {
    expect(readJsonColumn(Programmes, '["cash","food"]', "ServicePoint.programmes")).toEqual(["cash", "food"]);
  });

  it("refuses text that is not JSON, and JSON of another shape, with a code naming the column", () => {
    expect(() => readJsonColumn(Programmes, '["cash"', "ServicePoint.programmes")).toThrow(
      expect.objectContaining({ code: "ERR_STORED_DATA_INVALID", column: "ServicePoint.programmes" }),
    );
    expect(() => readJsonColumn(Programmes, '{"cash":true}', "ServicePoint.programmes")).toThrow(
      expect.objectContaining({ code: "ERR_STORED_DATA_INVALID", cause: expect.any(z.ZodError) }),
    );
    expect(() => readStoredValue(Programmes, () => { throw new Error("not a JWS"); }, "Receipt.jws")).toThrow(
      expect.objectContaining({ code: "ERR_STORED_DATA_INVALID", column: "Receipt.jws" }),
    );
  });
});

describe("stored JSON read through schemas", () => {
  const t = useTestContext();
  beforeAll(async () => {
    await createIssuedCycle(t.ctx, 2);
  }, 60_000);

  it("stops a trust bundle that would carry a damaged service point's programmes", async () => {
    await t.ctx.db.servicePoint.create({ data: { id: "sp-1", name: "Market", programmes: '["cash"]' } });
    await expect(buildTrustBundle(t.ctx)).resolves.toMatch(/^ey/);
    await t.ctx.db.servicePoint.update({ where: { id: "sp-1" }, data: { programmes: '"cash"' } });
    await expect(buildTrustBundle(t.ctx)).rejects.toMatchObject({ code: "ERR_STORED_DATA_INVALID", column: "ServicePoint.programmes" });
  });
});
