import { encodeClaim169 } from "@haki/claim169/encode";
import { makeIdentityAuthority, type TestIdentityAuthority } from "@haki/claim169/testing";
import { identityTrustListOf } from "@haki/claim169/trust";
import { verifyClaim169 } from "@haki/claim169/verify";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_COST, checkIdBinding, computeIdBinding, createBindingKey, normalizeIdNumber, type BindingKey, type IdBinding } from "./binding";

/** Unit tests use a small cost; one test runs the default cost. */
const FAST = { logN: 10, r: 8, p: 1 };
const NOW = new Date("2027-03-04T10:00:00Z");
const AMINA = { id: "29-4410-7765", fullName: "Amina Wanjiru Njeri", dateOfBirth: "19880102" };
const BARAKA = { id: "31-0092-1184", fullName: "Baraka Otieno", dateOfBirth: "19910615" };

let key: BindingKey;
let authority: TestIdentityAuthority;

beforeAll(async () => {
  key = createBindingKey("cash-2027");
  authority = await makeIdentityAuthority({ kid: "nid-1" });
});

/** What the counter gets: the identity of a Claim 169 QR made by an ID authority and verified. */
async function scannedId(person: { id: string; fullName: string; dateOfBirth?: string }) {
  const text = await encodeClaim169(person, { issuer: authority.issuer.id, expiresAt: new Date("2032-01-01T00:00:00Z") }, authority.signer);
  return (await verifyClaim169(text, identityTrustListOf(authority.issuer), { now: NOW })).identity;
}

describe("computeIdBinding (issuance, from registry data) and checkIdBinding (counter, from a verified ID QR)", () => {
  it("matches the person's own ID card and not another person's", async () => {
    const binding = await computeIdBinding({ id: "2944107765", birthDate: "1988-01-02" }, key, { cost: FAST });
    expect(await checkIdBinding(binding, await scannedId(AMINA), [key])).toMatchObject({ result: "match" });
    expect(await checkIdBinding(binding, await scannedId(BARAKA), [key])).toMatchObject({ result: "no-match", code: "BINDING_MISMATCH" });
    // Same ID number, another date of birth: another person (or a forged registry row).
    expect(await checkIdBinding(binding, await scannedId({ ...AMINA, dateOfBirth: "19880103" }), [key])).toMatchObject({ result: "no-match" });
  });

  it("with the default cost (scrypt N=2^15, r=8: 32 MiB)", async () => {
    const binding = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key);
    expect(binding).toMatchObject({ logN: 15, r: 8, p: 1, fields: "id+birthDate" });
    expect(await checkIdBinding(binding, await scannedId(AMINA), [key])).toMatchObject({ result: "match" });
  });

  it("reveals no ID digits; a different salt, key or cost gives an unrelated value", async () => {
    const salt = new Uint8Array(16).fill(1);
    const b = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key, { cost: FAST, salt });
    expect(JSON.stringify(b)).not.toMatch(/2944|4410|7765|1988/);
    const again = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key, { cost: FAST, salt });
    expect(again.mac).toBe(b.mac);
    const otherSalt = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key, { cost: FAST, salt: new Uint8Array(16).fill(2) });
    const otherKey = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, { ...createBindingKey("cash-2027") }, { cost: FAST, salt });
    const otherCost = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key, { cost: { ...FAST, logN: 11 }, salt });
    expect(new Set([b.mac, otherSalt.mac, otherKey.mac, otherCost.mac]).size).toBe(4);
  });

  it("without the programme key a device cannot check (and cannot brute-force from the card)", async () => {
    const binding = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key, { cost: FAST });
    const stolenKeyOfAnotherProgramme = createBindingKey("cash-2027");
    expect(await checkIdBinding(binding, await scannedId(AMINA), [stolenKeyOfAnotherProgramme])).toMatchObject({ result: "no-match" });
    expect(await checkIdBinding(binding, await scannedId(AMINA), [createBindingKey("food-2027")])).toMatchObject({
      result: "cannot-check",
      code: "ERR_BINDING_KEY_UNKNOWN",
    });
  });

  it("ID numbers compare by letters and digits; dates as YYYYMMDD or YYYY-MM-DD", async () => {
    expect(normalizeIdNumber(" 29-4410 7765 ")).toBe("2944107765");
    expect(normalizeIdNumber("ab/12.34")).toBe("AB1234");
    const b = await computeIdBinding({ id: "29 4410 7765", birthDate: "19880102" }, key, { cost: FAST });
    expect(await checkIdBinding(b, { id: "2944107765", birthDate: "1988-01-02" }, [key])).toMatchObject({ result: "match" });
  });

  it("an ID-number-only binding for registries without dates of birth", async () => {
    const b = await computeIdBinding({ id: AMINA.id }, key, { cost: FAST, fields: "id" });
    expect(await checkIdBinding(b, await scannedId({ id: AMINA.id, fullName: "A" }), [key])).toMatchObject({ result: "match" });
  });

  it("says what the ID card lacks, and what is wrong with the card's binding", async () => {
    const b = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key, { cost: FAST });
    expect(await checkIdBinding(b, await scannedId({ id: AMINA.id, fullName: "A" }), [key])).toMatchObject({
      result: "cannot-check",
      code: "BINDING_ID_INCOMPLETE",
      reason: "The ID card does not show the date of birth this card is linked to.",
    });
    expect(await checkIdBinding(b, { birthDate: "1988-01-02" }, [key])).toMatchObject({ code: "BINDING_ID_INCOMPLETE" });
    expect(await checkIdBinding(undefined, { id: AMINA.id }, [key])).toMatchObject({ result: "no-binding", code: "BINDING_ABSENT" });
    expect(await checkIdBinding({ ...b, mac: "short" }, { id: AMINA.id }, [key])).toMatchObject({ code: "ERR_BINDING_INVALID" });
    expect(await checkIdBinding({ ...b, extra: 1 }, { id: AMINA.id }, [key])).toMatchObject({ code: "ERR_BINDING_INVALID" });
    // A card asking for 1 GiB of memory would freeze a phone: refused before any work.
    expect(await checkIdBinding({ ...b, logN: 20 }, { id: AMINA.id, birthDate: "1988-01-02" }, [key])).toMatchObject({ code: "ERR_BINDING_TOO_COSTLY" });
    expect(await checkIdBinding(b, { id: AMINA.id, birthDate: "1988-01-02" }, [{ kid: "cash-2027", secret: "bad" }])).toMatchObject({
      code: "ERR_BINDING_KEY_INVALID",
    });
  });

  it("refuses to bind unusable registry data", async () => {
    await expect(computeIdBinding({ id: "12" }, key, { cost: FAST })).rejects.toMatchObject({ code: "ERR_BINDING_INPUT_INVALID" });
    await expect(computeIdBinding({ id: AMINA.id, birthDate: "1988-02-30" }, key, { cost: FAST })).rejects.toMatchObject({ code: "ERR_BINDING_INPUT_INVALID" });
    await expect(computeIdBinding({ id: AMINA.id }, key, { cost: FAST })).rejects.toMatchObject({ code: "ERR_BINDING_INPUT_INVALID" });
  });

  it("fuzz: a changed mac, salt or ID never matches", async () => {
    const b: IdBinding = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key, { cost: FAST });
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 4, maxLength: 20 }), async (id) => {
        fc.pre(normalizeIdNumber(id) !== normalizeIdNumber(AMINA.id));
        const r = await checkIdBinding(b, { id, birthDate: "1988-01-02" }, [key]);
        expect(r.result).not.toBe("match");
      }),
      { numRuns: 40 },
    );
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    expect((await checkIdBinding({ ...b, mac: flip(b.mac) }, { id: AMINA.id, birthDate: "1988-01-02" }, [key])).result).toBe("no-match");
    expect((await checkIdBinding({ ...b, salt: flip(b.salt) }, { id: AMINA.id, birthDate: "1988-01-02" }, [key])).result).toBe("no-match");
    expect(DEFAULT_COST.logN).toBe(15);
  });
});
