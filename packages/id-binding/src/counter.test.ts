import { encodeClaim169 } from "@haki/claim169/encode";
import { makeIdentityAuthority, type TestIdentityAuthority } from "@haki/claim169/testing";
import { identityTrustListOf } from "@haki/claim169/trust";
import { verifyClaim169 } from "@haki/claim169/verify";
import { beforeAll, describe, expect, it } from "vitest";
import { computeIdBinding, createBindingKey, type BindingKey, type IdBinding } from "./binding";
import { decideBoundCard, type Checked } from "./counter";

const FAST = { logN: 10, r: 8, p: 1 };
const NOW = new Date("2027-03-04T10:00:00Z");
let key: BindingKey;
let authority: TestIdentityAuthority;
let binding: IdBinding;

beforeAll(async () => {
  key = createBindingKey("cash-2027");
  authority = await makeIdentityAuthority();
  binding = await computeIdBinding({ id: "29-4410-7765", birthDate: "1988-01-02" }, key, { cost: FAST });
});

/** Scans an ID QR the way the verifier will: verifyClaim169, its error turned into a failed check. */
async function scan(person: { id: string; fullName: string; dateOfBirth: string }, expiresAt = new Date("2032-01-01T00:00:00Z")) {
  const text = await encodeClaim169(person, { issuer: authority.issuer.id, expiresAt }, authority.signer);
  try {
    const v = await verifyClaim169(text, identityTrustListOf(authority.issuer), { now: NOW });
    return { valid: true as const, identity: v.identity };
  } catch (e) {
    const err = e as { code: string; message: string };
    return { valid: false as const, code: err.code, reason: err.message };
  }
}

const amina = { id: "29-4410-7765", fullName: "Amina Wanjiru Njeri", dateOfBirth: "19880102" };
const baraka = { id: "31-0092-1184", fullName: "Baraka Otieno", dateOfBirth: "19910615" };
const goodCard = (): Checked<{ idBinding?: unknown }> => ({ valid: true, idBinding: binding });

describe("decideBoundCard", () => {
  it("green only when the card verifies, the ID verifies and they belong together", async () => {
    expect(await decideBoundCard({ card: goodCard(), id: await scan(amina), rule: "refuse", keys: [key] })).toMatchObject({
      outcome: "accept",
      code: "BINDING_MATCH",
    });
    const other = await decideBoundCard({ card: goodCard(), id: await scan(baraka), rule: "visual-check", keys: [key] });
    expect(other).toMatchObject({ outcome: "refuse", code: "BINDING_MISMATCH" });
    expect(other.reason).toMatch(/belongs to someone else/);
  });

  it("says which check failed: the card, the ID card, or the link", async () => {
    const badCard = await decideBoundCard({
      card: { valid: false, code: "ERR_EXPIRED", reason: "This card has expired." },
      id: await scan(amina),
      rule: "refuse",
      keys: [key],
    });
    expect(badCard).toMatchObject({ outcome: "refuse", code: "ERR_EXPIRED", reason: "The benefit card failed its check: This card has expired." });
    const expiredId = await decideBoundCard({ card: goodCard(), id: await scan(amina, new Date("2027-01-01T00:00:00Z")), rule: "refuse", keys: [key] });
    expect(expiredId).toMatchObject({ outcome: "refuse", code: "ERR_CLAIM169_EXPIRED" });
    expect(expiredId.reason).toMatch(/^The ID card failed its check: This ID card expired on 2027-01-01\./);
  });

  it("a bound card shown without an ID follows the programme's rule", async () => {
    expect(await decideBoundCard({ card: goodCard(), rule: "refuse", keys: [key] })).toMatchObject({ outcome: "refuse", code: "ID_NOT_SHOWN" });
    const visual = await decideBoundCard({ card: goodCard(), rule: "visual-check", keys: [key] });
    expect(visual).toMatchObject({ outcome: "visual-check", code: "ID_NOT_SHOWN" });
    expect(visual.reason).toMatch(/by eye/);
    // A device without the programme key cannot check the link: the same rule applies.
    expect(await decideBoundCard({ card: goodCard(), id: await scan(amina), rule: "refuse", keys: [] })).toMatchObject({
      outcome: "refuse",
      code: "ERR_BINDING_KEY_UNKNOWN",
    });
  });

  it("a card without a binding is checked by eye, as paper cards are today", async () => {
    expect(await decideBoundCard({ card: { valid: true }, id: await scan(baraka), rule: "refuse", keys: [key] })).toMatchObject({
      outcome: "visual-check",
      code: "BINDING_ABSENT",
    });
  });
});
