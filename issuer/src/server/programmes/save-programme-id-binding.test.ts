import { describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { checkIdBinding, computeIdBinding } from "@haki/id-binding/binding";
import { TrustBundle } from "@haki/redemption/trust-bundle";
import { createTestUser } from "@/test/context";
import { buildTrustBundle, saveServicePoint } from "@/server/verifier/service-points";
import { enrolTestDevice } from "@/test/devices";
import { readBindingKeysFor, saveProgrammeIdBinding } from "./save-programme-id-binding";
import { useIssuedCycle, useTestContext } from "@/test/suite";

describe("a programme's paper cards bound to national IDs", () => {
  const t = useTestContext();
  const fx = useIssuedCycle(t, 1);
  const enrol = async (sp: string) => {
    return enrolTestDevice(t.ctx, sp, fx.officer.actor);
  };
  const bundleRule = async () => TrustBundle.parse(decodeJwt(await buildTrustBundle(t.ctx))).programmes.find((p) => p.id === fx.programmeCode)?.idBinding;

  it("is off until an office turns it on: no rule in the bundle, no key for devices", async () => {
    await saveServicePoint(t.ctx, { id: "sp-bound", name: "Clinic", programmes: [fx.programmeCode] }, fx.officer.actor);
    expect(await bundleRule()).toBeUndefined();
    expect((await enrol("sp-bound")).bindingKeys).toBeUndefined();
  });

  it("turned on, makes a key kept sealed at the issuer, puts the rule (not the key) in the bundle, and gives the key only to enrolled devices of service points serving the programme", async () => {
    await saveProgrammeIdBinding(t.ctx, { programmeId: fx.programmeId, mode: "refuse" }, fx.officer.actor);
    const row = await t.ctx.db.programme.findUniqueOrThrow({ where: { id: fx.programmeId } });
    expect(row.idBinding).toBe("refuse");
    expect(row.bindingKey).toMatch(/^v1\./);
    const [key] = await readBindingKeysFor(t.ctx, [fx.programmeCode]);
    expect(key?.kid).toBe(`${fx.programmeCode}-1`);
    expect(row.bindingKey).not.toContain(key!.secret);
    const bundleJws = await buildTrustBundle(t.ctx);
    expect(bundleJws).not.toContain(key!.secret);
    expect(JSON.stringify(decodeJwt(bundleJws))).not.toContain(key!.secret);
    expect(await bundleRule()).toBe("refuse");

    const answer = await enrol("sp-bound");
    expect(answer.bindingKeys).toEqual([key]);
    await saveServicePoint(t.ctx, { id: "sp-other", name: "Shop", programmes: [] }, fx.officer.actor);
    expect((await enrol("sp-other")).bindingKeys).toBeUndefined();

    // The key a device receives checks a binding the issuer's key made.
    const binding = await computeIdBinding({ id: "19880102-4411", birthDate: "1988-01-02" }, key!, { cost: { logN: 10, r: 8, p: 1 } });
    expect((await checkIdBinding(binding, { id: "1988 0102 4411", birthDate: "1988-01-02" }, answer.bindingKeys!)).result).toBe("match");
  });

  it("switches to a visual check or off keeping the same key (cards already issued stay checkable); audited; officers only", async () => {
    const before = (await readBindingKeysFor(t.ctx, [fx.programmeCode]))[0];
    await saveProgrammeIdBinding(t.ctx, { programmeId: fx.programmeId, mode: "visual-check" }, fx.officer.actor);
    expect(await bundleRule()).toBe("visual-check");
    await saveProgrammeIdBinding(t.ctx, { programmeId: fx.programmeId, mode: "off" }, fx.officer.actor);
    expect(await bundleRule()).toBeUndefined();
    expect(await readBindingKeysFor(t.ctx, [fx.programmeCode])).toEqual([before]);
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    await expect(saveProgrammeIdBinding(t.ctx, { programmeId: fx.programmeId, mode: "refuse" }, auditor.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
    await expect(saveProgrammeIdBinding(t.ctx, { programmeId: fx.programmeId, mode: "sometimes" as "off" }, fx.officer.actor)).rejects.toMatchObject({ code: "ERR_BAD_REQUEST" });
    await expect(saveProgrammeIdBinding(t.ctx, { programmeId: "nope", mode: "refuse" }, fx.officer.actor)).rejects.toMatchObject({ code: "ERR_NOT_FOUND" });
    expect(await t.ctx.db.auditEvent.count({ where: { action: "programme.id-binding" } })).toBe(3);
  });
});
