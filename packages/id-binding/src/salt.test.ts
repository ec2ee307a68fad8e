import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkIdBinding, computeIdBinding, createBindingKey } from "./binding";
import { cardSaltOf, statusEntryOf } from "./salt";

const FAST = { logN: 10, r: 8, p: 1 };
const CARD = { id: "urn:uuid:6f1c2b9e-3a47-4c1d-9b2e-0d5f8a7c4e31", statusEntry: statusEntryOf("https://haki.example/api/status/1", 42) };

describe("cardSaltOf: a bound card's salt from its own id and status entry", () => {
  it("is the first 16 bytes of SHA-256 over the domain, the id and the status entry (checked with node:crypto)", () => {
    const expected = createHash("sha256").update(`haki-id-binding/1 card salt\n${CARD.id}\n${CARD.statusEntry}`).digest().subarray(0, 16);
    expect(Buffer.from(cardSaltOf(CARD)!)).toEqual(expected);
    // Not the bare hash of the id: the domain separates it from any other hash of a credential id.
    expect(Buffer.from(cardSaltOf(CARD)!)).not.toEqual(createHash("sha256").update(CARD.id).digest().subarray(0, 16));
  });

  it("differs for another card: another id, or a replacement card's new status position under the same id", () => {
    const salts = [CARD, { ...CARD, id: "urn:uuid:6f1c2b9e-3a47-4c1d-9b2e-0d5f8a7c4e32" }, { ...CARD, statusEntry: statusEntryOf("https://haki.example/api/status/1", 43) }, { ...CARD, statusEntry: statusEntryOf("https://haki.example/api/status/2", 42) }];
    expect(new Set(salts.map((c) => Buffer.from(cardSaltOf(c)!).toString("hex"))).size).toBe(4);
  });

  it("gives none without an id or a status entry, or with a line break that could blur the fields", () => {
    expect(cardSaltOf(undefined)).toBeUndefined();
    expect(cardSaltOf({ id: CARD.id })).toBeUndefined();
    expect(cardSaltOf({ statusEntry: CARD.statusEntry })).toBeUndefined();
    expect(cardSaltOf({ id: `${CARD.id}\nx`, statusEntry: CARD.statusEntry })).toBeUndefined();
  });

  it("is the salt computeIdBinding uses for a card, and the binding checks the same way; without a card the salt is random", async () => {
    const key = createBindingKey("cash-2027");
    const facts = { id: "29-4410-7765", birthDate: "1988-01-02" };
    const bound = await computeIdBinding(facts, key, { cost: FAST, card: CARD });
    expect(bound.salt).toBe(Buffer.from(cardSaltOf(CARD)!).toString("base64url"));
    expect((await checkIdBinding(bound, facts, [key])).result).toBe("match");
    expect((await checkIdBinding(bound, { ...facts, id: "31-0092-1184" }, [key])).result).toBe("no-match");
    const [a, b] = [await computeIdBinding(facts, key, { cost: FAST }), await computeIdBinding(facts, key, { cost: FAST })];
    expect(a.salt).not.toBe(b.salt);
    expect(a.salt).not.toBe(bound.salt);
  });
});
