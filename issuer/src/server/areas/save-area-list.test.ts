import { describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { areaName, type TrustBundle } from "@haki/redemption/trust-bundle";
import { createTestUser } from "@/test/context";
import { buildTrustBundle } from "@/server/verifier/service-points";
import { saveProgrammeContact } from "@/server/programmes/save-programme-contact";
import { parseAreaList, saveAreaList } from "./save-area-list";
import { readAreaNames } from "./read-area-names";
import { useIssuedCycle, useTestContext } from "@/test/suite";

describe("area names and programme contacts", () => {
  const t = useTestContext();
  const fx = useIssuedCycle(t, 1);

  it("reads the registry's area list (header optional, quoted names) and says which line is wrong", () => {
    expect(parseAreaList('code,name\nKE-047,Nairobi\n"KE-042","Kisumu, Lake side"\n\n')).toEqual([
      { code: "KE-047", name: "Nairobi" },
      { code: "KE-042", name: "Kisumu, Lake side" },
    ]);
    expect(() => parseAreaList("KE-047,Nairobi\nKE 042,Kisumu")).toThrow(expect.objectContaining({ code: "ERR_BAD_REQUEST", details: { line: 2 } }));
    expect(() => parseAreaList("KE-047")).toThrow(expect.objectContaining({ code: "ERR_BAD_REQUEST" }));
  });

  it("merges names (renames, never empties), audited, officers only", async () => {
    await saveAreaList(t.ctx, parseAreaList("KE-047,Nairobi City\nKE-042,Kisumu"), fx.officer.actor);
    await saveAreaList(t.ctx, [{ code: "KE-047", name: "Nairobi" }], fx.officer.actor);
    expect(await readAreaNames(t.ctx)).toEqual(new Map([["KE-042", "Kisumu"], ["KE-047", "Nairobi"]]));
    expect(await readAreaNames(t.ctx, ["KE-047", "KE-999"])).toEqual(new Map([["KE-047", "Nairobi"]]));
    expect(await t.ctx.db.auditEvent.count({ where: { action: "areas.save" } })).toBe(2);
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    await expect(saveAreaList(t.ctx, [{ code: "KE-001", name: "Mombasa" }], auditor.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
  });

  it("carries place names and the programme's contact to service points in the trust bundle", async () => {
    await saveProgrammeContact(t.ctx, { programmeId: fx.programmeId, contact: "Call 0800 720 720 (free)" }, fx.officer.actor);
    const bundle = decodeJwt(await buildTrustBundle(t.ctx)) as unknown as TrustBundle;
    expect(areaName(bundle, "KE-047")).toBe("Nairobi");
    expect(bundle.programmes).toEqual([expect.objectContaining({ contact: "Call 0800 720 720 (free)" })]);
    await saveProgrammeContact(t.ctx, { programmeId: fx.programmeId, contact: "" }, fx.officer.actor);
    const cleared = decodeJwt(await buildTrustBundle(t.ctx)) as unknown as TrustBundle;
    expect(cleared.programmes[0]).not.toHaveProperty("contact");
    await expect(saveProgrammeContact(t.ctx, { programmeId: "nope", contact: "x y z" }, fx.officer.actor)).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
  });
});
