/** Finding a person and handling their case (issue 15): search, the profile, a lost phone, a reprinted card. */
import { describe, expect, it } from "vitest";
import { importJWK } from "jose";
import { verifyCredential } from "@haki/credentials/verify";
import { trustListOf } from "@haki/credentials/trust";
import { verifyStatusListCredential } from "@haki/status-list/credential";
import { getStatus } from "@haki/status-list/bitstring";
import { testProviders } from "@haki/db/testing";
import { getStatusListCredential } from "@/server/status/status-lists";
import { replacePhone } from "@/server/delivery/replace-phone";
import { supersedeCredential } from "@/server/delivery/supersede-credential";
import { reprintCard } from "@/server/delivery/render-cycle-cards";
import { changeStatus } from "@/server/status/change-status";
import { verifyAuditChain } from "@/server/audit/verify-audit-chain";
import { searchBeneficiaries } from "./search-beneficiaries";
import { readBeneficiaryProfile } from "./read-profile";
import { useConsoleWorld, useTestContext } from "@/test/suite";

describe.each(testProviders())("finding a person and handling their case on %s", (provider) => {
  const t = useTestContext(provider);
  const w = useConsoleWorld(t);

  const names = async (input: Parameters<typeof searchBeneficiaries>[1], pageSize?: number) =>
    (await searchBeneficiaries(t.ctx, input, { pageSize })).rows.map((r) => r.displayName);

  it("finds people by any word of their name, accents, case and Arabic letter forms ignored", async () => {
    expect(await names({ by: "name", q: "aissata" })).toEqual(["Aïssata Maïga"]);
    expect(await names({ by: "name", q: "MAIGA aïs" })).toEqual(["Aïssata Maïga"]);
    expect(await names({ by: "name", q: "wanjiru" })).toEqual(["Amina Wanjirũ"]);
    expect(await names({ by: "name", q: "احمد" })).toEqual(["أحمد علي"]);
    expect(await names({ by: "name", q: "علي" })).toEqual(["أحمد علي"]);
    expect((await names({ by: "name", q: "am" })).sort()).toEqual(["Amina Wanjirũ"]);
    expect(await names({ by: "name", q: "mo ali" })).toEqual(["Mohamed Ali"]);
    expect(await names({ by: "name", q: "nobody" })).toEqual([]);
    expect(await searchBeneficiaries(t.ctx, { by: "name", q: " - " })).toMatchObject({ rows: [], problem: "too-short" });
    // Narrowed to an area.
    expect(await names({ by: "name", q: "m", area: "KE-047" })).toEqual(["Aïssata Maïga"]);
    expect(await names({ by: "name", q: "ju", area: "KE-022" })).toEqual(["Juma Mwangi"]);
    expect(await names({ by: "name", q: "ju", area: "KE-047" })).toEqual([]);
  });

  it("finds a person by the registry id through its keyed hash, by reference, and everyone of an area, page by page", async () => {
    expect(await names({ by: "registryId", q: "H-4" })).toEqual(["Juma Mwangi"]);
    expect(await names({ by: "registryId", q: " H-4 " })).toEqual(["Juma Mwangi"]);
    expect(await names({ by: "registryId", q: "H-40" })).toEqual([]);
    const juma = w.byName("Juma Mwangi");
    expect(await names({ by: "ref", q: juma.ref.toLowerCase() })).toEqual(["Juma Mwangi"]);
    expect(await names({ by: "ref", q: juma.ref.slice(0, 5) })).toContain("Juma Mwangi");
    const first = await searchBeneficiaries(t.ctx, { by: "area", area: "KE-047" }, { pageSize: 1 });
    expect(first.rows).toHaveLength(1);
    const second = await searchBeneficiaries(t.ctx, { by: "area", area: "KE-047", after: first.next! }, { pageSize: 1 });
    expect(second.rows).toHaveLength(1);
    expect(second.next).toBeNull();
    expect([first.rows[0]!.displayName, second.rows[0]!.displayName].sort()).toEqual(["Amina Wanjirũ", "Aïssata Maïga"]);
    expect(await searchBeneficiaries(t.ctx, { by: "area" })).toMatchObject({ problem: "need-area" });
    // A name page boundary: every person once over the pages.
    const all: string[] = [];
    for (let after: string | undefined, i = 0; i < 10; i++) {
      const page = await searchBeneficiaries(t.ctx, { by: "name", q: "m", after }, { pageSize: 1 });
      all.push(...page.rows.map((r) => r.ref));
      if (!page.next) break;
      after = page.next;
    }
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(3); // Maïga, Mohamed, Mwangi
  });

  it("shows a person's household data, entitlements with their delivery and history, receipts and audit trail", async () => {
    const aissata = w.byName("Aïssata Maïga");
    await w.redeem(aissata.entitlement.id, new Date("2027-03-05T10:00:00Z"));
    const p = await readBeneficiaryProfile(t.ctx, aissata.ref);
    expect(p?.person).toMatchObject({ ref: aissata.ref, displayName: "Aïssata Maïga", area: "KE-047", householdSize: 5, enrolment: "active", source: "Social registry" });
    expect(JSON.stringify(p)).not.toContain("H-1");
    expect(p?.entitlements).toHaveLength(1);
    const e = p!.entitlements[0]!;
    expect(e).toMatchObject({ status: "issued", cycle: { code: "2027-03" }, programme: { currency: "KES" }, delivery: { phone: null, printedAt: null }, printable: true });
    expect(e.receipts).toEqual([expect.objectContaining({ amount: "2500", servicePoint: w.servicePoint, servicePointName: "Market stall", doubleRedemption: false })]);
    expect(e.events.map((x) => x.what)).toEqual(["redeemed", "issued"]);
    expect(await readBeneficiaryProfile(t.ctx, "HK-NOBODY0000")).toBeNull();
  });

  it("replaces a lost phone: the old credential is revoked everywhere, a new offer is made, both audited", async () => {
    const amina = w.byName("Amina Wanjirũ");
    const before = await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: amina.entitlement.id } });
    // The phone had collected it.
    await t.ctx.db.entitlement.update({ where: { id: before.id }, data: { holderDid: "did:key:z6MkOldPhone" } });
    const r = await replacePhone(t.ctx, { entitlementId: before.id, reason: "Phone stolen at the market" }, w.officer.actor);
    expect(r.txCode).toMatch(/^\d{6}$/);
    expect(r.offerUri).toMatch(/^openid-credential-offer:/);
    expect(r.superseded.from).toEqual({ list: before.statusList, index: before.statusIndex });
    const after = await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: before.id } });
    expect(after).toMatchObject({ status: "issued", holderDid: null, statusList: r.superseded.to.list, statusIndex: r.superseded.to.index });
    expect(after.replacedAt).not.toBeNull();
    // The published revocation list: the old position is revoked, the new one is not.
    const { jwt } = await getStatusListCredential(t.ctx, before.statusList, "revocation");
    const [pub] = await t.ctx.keys.listPublicKeys();
    const list = await verifyStatusListCredential(jwt, await importJWK(pub!.publicJwk, "EdDSA"), {
      issuer: t.ctx.did,
      url: `https://issuer.haki.test/status/${before.statusList}/revocation`,
      purpose: "revocation",
      now: t.ctx.now(),
    });
    expect(getStatus(list.list, before.statusIndex)).toBe(true);
    expect(getStatus(list.list, after.statusIndex)).toBe(false);
    // The new paper credential names the new position and verifies; the old one names the revoked one.
    const trust = trustListOf({ did: t.ctx.did, name: "Test issuer", keys: [{ id: pub!.kid, publicKeyJwk: pub!.publicJwk }] });
    const fresh = await verifyCredential(after.credential!, trust, { now: new Date("2027-03-10T10:00:00Z") });
    expect(fresh).toMatchObject({ valid: true });
    expect(JSON.stringify(fresh)).toContain(`${after.statusIndex}`);
    expect(before.credential).not.toBe(after.credential);
    expect((await t.ctx.db.auditEvent.findMany({ where: { subject: before.id }, orderBy: { seq: "asc" } })).map((a) => a.action)).toEqual(
      expect.arrayContaining(["entitlement.replace", "offer.create"]),
    );
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true });
    const p = await readBeneficiaryProfile(t.ctx, amina.ref);
    expect(p!.entitlements[0]!.delivery).toMatchObject({ phone: "offered" });
    expect(p!.entitlements[0]!.events.map((x) => x.what)).toEqual(expect.arrayContaining(["entitlement.replace", "offer.create"]));
    // Only an officer, only an issued entitlement.
    await expect(replacePhone(t.ctx, { entitlementId: before.id, reason: "again" }, w.approver.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
    await changeStatus(t.ctx, { action: "suspend", entitlementId: before.id, reason: "Under review" }, w.officer.actor);
    await expect(replacePhone(t.ctx, { entitlementId: before.id, reason: "again" }, w.officer.actor)).rejects.toMatchObject({ code: "ERR_INVALID_STATE" });
  });

  it("reprints one card (audited, delivery shows it printed), and a lost card is superseded first", async () => {
    const juma = w.byName("Juma Mwangi");
    const pdf = await reprintCard(t.ctx, { entitlementId: juma.entitlement.id, locale: "sw" }, w.officer.actor);
    expect(Buffer.from(pdf.slice(0, 5)).toString()).toBe("%PDF-");
    expect((await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: juma.entitlement.id } })).printedAt).not.toBeNull();
    expect(await t.ctx.db.auditEvent.count({ where: { action: "cards.reprint", subject: juma.entitlement.id } })).toBe(1);
    const lost = await supersedeCredential(t.ctx, { entitlementId: juma.entitlement.id, lost: "card", reason: "Card lost in a flood" }, w.officer.actor);
    expect(lost.to).not.toEqual(lost.from);
    expect((await readBeneficiaryProfile(t.ctx, juma.ref))!.entitlements[0]!.delivery.printedAt).not.toBeNull();
    await expect(reprintCard(t.ctx, { entitlementId: juma.entitlement.id, locale: "en" }, w.auditor.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
  });
});
