/**
 * A paper card bound to its holder's national ID at the counter: a real bound card (issued with
 * `idBinding`, encoded as its QR, checked by the verifier's scan path) and real Claim 169 ID QR
 * codes (signed by an authority the trust bundle names), through the counter decision.
 */
import { encodeClaim169 } from "@haki/claim169/encode";
import { makeIdentityAuthority, type TestIdentityAuthority } from "@haki/claim169/testing";
import { computeIdBinding, createBindingKey, type BindingKey } from "@haki/id-binding/binding";
import { encodeProof } from "@haki/qr/codec";
import type { GreenDecision } from "@haki/redemption/check";
import { checkContextFor, createTestWorld, type TestWorld } from "@haki/redemption/testing";
import type { TrustBundle } from "@haki/redemption/trust-bundle";
import { beforeAll, describe, expect, it } from "vitest";
import { decideBoundCardAtCounter } from "./bound-card";
import { checkIdentityText } from "./identity";
import { checkScan } from "./scan-check";

const NOW = new Date("2027-03-10T09:00:00Z");
const AMINA = { id: "29-4410-7765", fullName: "Amina Wanjiru Njeri", dateOfBirth: "19880102" };
const BARAKA = { id: "31-0092-1184", fullName: "Baraka Otieno", dateOfBirth: "19910615" };
/** A cheaper scrypt than the default, so the matrix runs fast; the construction is the same. */
const COST = { logN: 12, r: 8, p: 1 };

let world: TestWorld;
let authority: TestIdentityAuthority;
let key: BindingKey;
let bundle: TrustBundle;

async function idQr(person: { id: string; fullName: string; dateOfBirth: string }, expiresAt = new Date("2030-01-01T00:00:00Z")) {
  return encodeClaim169(person, { issuer: authority.issuer.id, expiresAt }, authority.signer);
}

async function scanBoundCard(rule: "refuse" | "visual-check" | undefined, index = 5): Promise<GreenDecision> {
  const idBinding = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key, { cost: COST });
  const card = encodeProof(await world.issue({ index, subject: { name: "Amina W.", idBinding } }));
  const b: TrustBundle = { ...bundle, programmes: bundle.programmes.map((p) => (p.id === "cash-transfer" && rule ? { ...p, idBinding: rule } : p)) };
  const context = checkContextFor(world, await world.deviceState(), { now: NOW, trust: { jws: "", bundle: b, fetchedAt: NOW.getTime() } });
  const answer = await checkScan(card, context);
  if (answer.kind !== "card" || answer.decision.outcome !== "green") throw new Error(`not green: ${JSON.stringify(answer)}`);
  return answer.decision;
}

beforeAll(async () => {
  world = await createTestWorld({ now: NOW });
  authority = await makeIdentityAuthority({ id: "https://id.gov.example", name: "National Identification Authority" });
  key = createBindingKey("cash-2027");
  bundle = { ...world.bundle, identityIssuers: [authority.issuer] };
});

describe("a bound paper card at the counter", () => {
  it("checks green as a card, carrying its binding and the programme's rule (refuse when the bundle does not say)", async () => {
    const d = await scanBoundCard("visual-check");
    expect(d.visualCheck).toBe(true);
    expect(d.idBinding).toMatchObject({ rule: "visual-check", binding: { kid: "cash-2027", fields: "id+birthDate" } });
    expect((await scanBoundCard(undefined, 6)).idBinding?.rule).toBe("refuse");
    const plain = await checkScan(encodeProof(await world.issue({ index: 7 })), checkContextFor(world, await world.deviceState(), { now: NOW }));
    expect(plain.kind === "card" && plain.decision.outcome === "green" && plain.decision.idBinding).toBeUndefined();
  });

  it("hands over only with the holder's own ID card; another person's is refused whatever the rule", async () => {
    for (const rule of ["refuse", "visual-check"] as const) {
      const d = await scanBoundCard(rule, rule === "refuse" ? 8 : 9);
      const own = await checkIdentityText(await idQr(AMINA), bundle, NOW);
      expect(await decideBoundCardAtCounter(d, own, [key])).toMatchObject({ outcome: "accept", code: "BINDING_MATCH" });
      const other = await checkIdentityText(await idQr(BARAKA), bundle, NOW);
      expect(await decideBoundCardAtCounter(d, other, [key])).toMatchObject({ outcome: "refuse", code: "BINDING_MISMATCH", failed: "binding" });
      // Same ID number, another date of birth: not the same person.
      const borrowed = await checkIdentityText(await idQr({ ...BARAKA, id: AMINA.id }), bundle, NOW);
      expect(await decideBoundCardAtCounter(d, borrowed, [key])).toMatchObject({ outcome: "refuse", code: "BINDING_MISMATCH" });
    }
  });

  it("follows the programme's rule when the ID card is not shown, fails its own check, or cannot be checked on this device", async () => {
    const refuse = await scanBoundCard("refuse", 10);
    const visual = await scanBoundCard("visual-check", 11);
    const expired = await checkIdentityText(await idQr(AMINA, new Date("2027-01-01T00:00:00Z")), bundle, NOW);
    const untrusted = await checkIdentityText(await idQr(AMINA), world.bundle, NOW);
    const own = await checkIdentityText(await idQr(AMINA), bundle, NOW);
    const cases: [GreenDecision, Parameters<typeof decideBoundCardAtCounter>[1], BindingKey[], string, string, string | undefined][] = [
      [refuse, undefined, [key], "refuse", "ID_NOT_SHOWN", undefined],
      [visual, undefined, [key], "visual-check", "ID_NOT_SHOWN", undefined],
      [refuse, expired, [key], "refuse", "ERR_CLAIM169_EXPIRED", "id"],
      [visual, expired, [key], "visual-check", "ERR_CLAIM169_EXPIRED", "id"],
      [refuse, untrusted, [key], "refuse", "ERR_CLAIM169_ISSUER_UNTRUSTED", "id"],
      [refuse, own, [], "refuse", "ERR_BINDING_KEY_UNKNOWN", "binding"],
      [visual, own, [createBindingKey("cash-2027")], "refuse", "BINDING_MISMATCH", "binding"],
    ];
    for (const [d, id, keys, outcome, code, failed] of cases) {
      const a = await decideBoundCardAtCounter(d, id, keys);
      expect({ outcome: a.outcome, code: a.code, failed: a.failed }, `${d.idBinding?.rule} ${code}`).toEqual({ outcome, code, failed });
    }
  });
});

describe("a bound card shown from the holder's phone", () => {
  it("is checked by the holder's key, not the ID card: no ID step", async () => {
    const { generateKeyPair } = await import("@haki/credentials/keys");
    const { signPresentation } = await import("@haki/credentials/presentation");
    const holder = await generateKeyPair();
    const idBinding = await computeIdBinding({ id: AMINA.id, birthDate: "1988-01-02" }, key, { cost: COST });
    const vc = await world.issue({ index: 30, holder, subject: { idBinding } });
    const proof = encodeProof(await signPresentation(vc, holder, { now: NOW }));
    const answer = await checkScan(proof, checkContextFor(world, await world.deviceState(), { now: NOW }));
    if (answer.kind !== "card" || answer.decision.outcome !== "green") throw new Error(`not green: ${JSON.stringify(answer)}`);
    expect(answer.decision.visualCheck).toBe(false);
    expect(answer.decision.idBinding).toBeUndefined();
  });
});
