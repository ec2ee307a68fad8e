/**
 * Issue 12, "paper and phone", as the console reads it: which bearer form of an entitlement is
 * valid, on the cycle page's rows and on the person's profile, and the programme setting itself
 * (created, changed, audited).
 */
import { describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { createTestUser } from "@/test/context";
import { CycleListFilter, readCycleEntitlements } from "@/server/cycles/read-cycle-entitlements";
import { readBeneficiaryProfile } from "@/server/beneficiaries/read-profile";
import { createProgramme } from "@/server/programmes/create-programme";
import { saveProgrammeBearerForms } from "@/server/programmes/save-programme-bearer-forms";
import { changeStatus } from "@/server/status/change-status";
import { activeForm } from "./delivery-state";
import { claimPhoneForm } from "./phone-form";
import { createDeliveryRecorder } from "./record-deliveries";
import { deliverySql } from "./delivery-sql";
import { replacePhone } from "./replace-phone";
import { createOffer } from "./create-offer";
import { useIssuedCycle, useTestContext } from "@/test/suite";

describe("activeForm", () => {
  it("reads the valid bearer form from the entitlement's form and holder", () => {
    expect(activeForm({ status: "issued", bearerForm: "paper", holderDid: null })).toBe("paper");
    expect(activeForm({ status: "issued", bearerForm: "phone", holderDid: "did:key:z6Mk1" })).toBe("phone");
    expect(activeForm({ status: "suspended", bearerForm: "paper", holderDid: "did:key:z6Mk1" })).toBe("both");
    expect(activeForm({ status: "issued", bearerForm: "phone", holderDid: null })).toBe("phonePending");
    expect(activeForm({ status: "revoked", bearerForm: "phone", holderDid: "did:key:z6Mk1" })).toBeNull();
    expect(activeForm({ status: "pending", bearerForm: "paper", holderDid: null })).toBeNull();
  });
});

describe.each(testProviders())("the active bearer form in the console on %s", (provider) => {
  const t = useTestContext(provider);
  const fx = useIssuedCycle(t, 4);

  /** A phone collecting the entitlement as the OpenID4VCI credential endpoint does it: claim, then record. */
  async function collect(entitlementId: string, holderDid: string) {
    await createOffer(t.ctx, { entitlementId, withPin: false }, fx.officer.actor);
    const claim = await claimPhoneForm(t.ctx, entitlementId);
    await createDeliveryRecorder(deliverySql(t.ctx), t.ctx)({ entitlementId, holderDid, ...(claim ? { superseded: claim } : {}) });
    return claim;
  }
  const rows = async () => new Map((await readCycleEntitlements(t.ctx, fx.cycleId, CycleListFilter.parse({}), { pageSize: 100 })).rows.map((r) => [r.id, r.delivery.activeForm]));
  const profileOf = async (i: number) => (await readBeneficiaryProfile(t.ctx, fx.entitlements[i]!.beneficiary.ref))!.entitlements.find((e) => e.id === fx.entitlements[i]!.id)!;

  it("issue 12 paper and phone: the cycle rows and the profile show paper, phone, a phone being replaced, and both under the programme's 'both'", async () => {
    const [e0, e1, e2, e3] = fx.entitlements;
    expect([...(await rows()).values()]).toEqual(["paper", "paper", "paper", "paper"]);

    expect(await collect(e0!.id, "did:key:z6MkPhoneA")).toMatchObject({ from: { index: e0!.statusIndex } });
    await collect(e1!.id, "did:key:z6MkPhoneB");
    await replacePhone(t.ctx, { entitlementId: e1!.id, reason: "Phone broken" }, fx.officer.actor);
    let forms = await rows();
    expect([forms.get(e0!.id), forms.get(e1!.id), forms.get(e2!.id)]).toEqual(["phone", "phonePending", "paper"]);
    // The profile: the form, and paper only through "paper instead of the phone".
    expect(await profileOf(0)).toMatchObject({ delivery: { activeForm: "phone", phone: "collected" }, printable: false, paperInstead: true });
    expect(await profileOf(2)).toMatchObject({ delivery: { activeForm: "paper" }, printable: true, paperInstead: false });

    // The programme now keeps both forms: a phone collecting leaves the paper card valid.
    await saveProgrammeBearerForms(t.ctx, { programmeId: fx.programmeId, bearerForms: "both" }, fx.officer.actor);
    expect(await collect(e2!.id, "did:key:z6MkPhoneC")).toBeNull();
    forms = await rows();
    expect(forms.get(e2!.id)).toBe("both");
    expect(await profileOf(2)).toMatchObject({ delivery: { activeForm: "both" }, printable: true, paperInstead: false });

    // A cancelled entitlement has no valid form.
    await changeStatus(t.ctx, { action: "revoke", entitlementId: e3!.id, reason: "Duplicate" }, fx.officer.actor);
    expect((await rows()).get(e3!.id)).toBeNull();
  });

  it("issue 12 paper and phone: the programme setting, 'one' unless chosen, set at creation or later (officer or admin, audited with the old and new value)", async () => {
    const officer = await createTestUser(t.ctx, ["officer"]);
    const { id } = await createProgramme(t.ctx, { code: "shared-phones", name: "Shared phones", benefitType: "cash", currency: "KES", bearerForms: "both" }, officer.actor);
    expect(await t.ctx.db.programme.findUniqueOrThrow({ where: { id } })).toMatchObject({ bearerForms: "both" });
    const { id: plain } = await createProgramme(t.ctx, { code: "plain", name: "Plain", benefitType: "cash", currency: "KES" }, officer.actor);
    expect(await t.ctx.db.programme.findUniqueOrThrow({ where: { id: plain } })).toMatchObject({ bearerForms: "one" });
    await saveProgrammeBearerForms(t.ctx, { programmeId: id, bearerForms: "one" }, officer.actor);
    const event = await t.ctx.db.auditEvent.findFirstOrThrow({ where: { action: "programme.bearer_forms", subject: id } });
    expect([event.actorId, JSON.parse(event.details)]).toEqual([officer.actor.id, { from: "both", to: "one" }]);
    await expect(saveProgrammeBearerForms(t.ctx, { programmeId: id, bearerForms: "three" as "one" }, officer.actor)).rejects.toMatchObject({ code: "ERR_BAD_REQUEST" });
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    await expect(saveProgrammeBearerForms(t.ctx, { programmeId: id, bearerForms: "both" }, auditor.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
  });
});
