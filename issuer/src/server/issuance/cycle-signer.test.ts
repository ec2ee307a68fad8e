import { describe, expect, it } from "vitest";
import { createDemoIssuer } from "@haki/credentials/testing";
import { signCredential } from "@haki/credentials/sign";
import { generateKeyPair } from "@haki/credentials/keys";
import type { Cycle, Programme } from "@haki/db";
import { makeCycleSigner } from "./cycle-signer";
import { entitlementInput } from "./entitlement-input";

const { key } = await createDemoIssuer();
const issuer = { did: "did:web:haki.example.org", publicUrl: "https://haki.example.org/" };
const programme = {
  id: "p", code: "cash", name: "Cash transfer", benefitType: "cash", currency: "KES", item: null, unit: null,
  description: null, area: null, redemption: "single", contact: null, idBinding: "off", bindingKey: null, bearerForms: "one", createdBy: "u", createdAt: new Date(),
} satisfies Programme;
const cycle = {
  id: "c", programmeId: "p", code: "2027-03", validFrom: new Date("2027-03-01T00:00:00Z"),
  validUntil: new Date("2027-04-01T00:00:00Z"), amount: "1500.50", quantity: null, rule: "{}", credentialFormat: "vc1", state: "approved",
  preparedBy: "u", preparedAt: new Date(), approvedBy: null, approvedAt: null, issuedAt: null, closedAt: null,
  topUpOf: null, submittedBy: null, submittedAt: null, frozenCount: null, frozenDigest: null, frozenTotals: null,
  returnedBy: null, returnedAt: null, returnComment: null,
} satisfies Cycle;
const row = (i: number, b: { displayName?: string | null; area?: string | null; ref?: string } = {}) => ({
  id: `0190f3a4-0000-7000-8000-${String(i).padStart(12, "0")}`,
  statusList: 1 + Math.floor(i / 3),
  statusIndex: i * 7,
  beneficiary: { ref: b.ref ?? `HK-B${String(i).padStart(8, "0")}`, displayName: b.displayName ?? null, area: b.area ?? null },
});
const slow = (p: Programme, r: ReturnType<typeof row> & { holder?: string }, c: Cycle = cycle) =>
  signCredential(entitlementInput({ entitlement: r, cycle: c, programme: p, beneficiary: r.beneficiary }, { ...issuer, ...(r.holder ? { holder: r.holder } : {}) }), key, { format: c.credentialFormat as "vc1" | "vc2" });

describe("makeCycleSigner", () => {
  it.each(["vc1", "vc2"])("signs exactly what signCredential signs in the cycle's format (%s), row after row (names, areas, lists vary)", async (format) => {
    const c = { ...cycle, credentialFormat: format };
    for (const p of [programme, { ...programme, area: "KE-047" }]) {
      const rows = [
        row(0, { displayName: "Amina Odhiambo", area: "KE-001" }),
        row(1),
        row(2, { displayName: "  Fatuma Saïd — فاطمة ", area: "KE-002" }),
        row(3, { area: "KE-003" }),
        row(4, { displayName: "Juma" }),
      ];
      const sign = makeCycleSigner({ cycle: c, programme: p }, key, issuer);
      const fast = await Promise.all(rows.map(sign)); // a page at once, as the job signs it
      for (const [i, r] of rows.entries()) expect(fast[i]).toBe(await slow(p, r, c));
      const header = JSON.parse(Buffer.from(fast[0]!.split(".")[0]!, "base64url").toString()) as { typ: string };
      expect(header.typ).toBe(format === "vc2" ? "vc+jwt" : "JWT");
    }
  });

  it.each(["vc1", "vc2"])("binds each credential to its own holder when the row names one (%s, as OpenID4VCI asks), the same bytes as signCredential", async (format) => {
    const c = { ...cycle, credentialFormat: format };
    const holders = await Promise.all([generateKeyPair(), generateKeyPair()]);
    const rows = [{ ...row(0), holder: holders[0]!.did }, row(1), { ...row(2, { displayName: "Juma" }), holder: holders[1]!.did }, { ...row(3), holder: holders[0]!.did }];
    const sign = makeCycleSigner({ cycle: c, programme }, key, issuer);
    for (const r of rows) expect(await sign(r)).toBe(await slow(programme, r, c));
    await expect(sign({ ...row(4), holder: "did:example:not-a-key" })).rejects.toMatchObject({ code: "ERR_INPUT_INVALID" });
  });

  it("refuses a bad beneficiary field with ERR_INPUT_INVALID, first row or later", async () => {
    const sign = makeCycleSigner({ cycle, programme }, key, issuer);
    await expect(sign(row(0, { ref: "12" }))).rejects.toMatchObject({ code: "ERR_INPUT_INVALID" });
    await expect(sign(row(1))).resolves.toMatch(/^ey/);
    await expect(sign(row(2, { ref: "12" }))).rejects.toMatchObject({ code: "ERR_INPUT_INVALID" });
    await expect(sign(row(3, { area: "KE 047" }))).rejects.toMatchObject({ code: "ERR_INPUT_INVALID" });
    await expect(sign(row(4, { displayName: "x".repeat(81) }))).rejects.toMatchObject({ code: "ERR_INPUT_INVALID" });
  });

  it("refuses a cycle whose stored format is unknown (ERR_STORED_DATA_INVALID)", () => {
    expect(() => makeCycleSigner({ cycle: { ...cycle, credentialFormat: "vc3" }, programme }, key, issuer)).toThrow(expect.objectContaining({ code: "ERR_STORED_DATA_INVALID" }));
  });

  it("refuses an invalid cycle on the first row", async () => {
    const sign = makeCycleSigner({ cycle: { ...cycle, code: "2027 03" }, programme }, key, issuer);
    await expect(sign(row(0))).rejects.toMatchObject({ code: "ERR_INPUT_INVALID" });
  });
});
