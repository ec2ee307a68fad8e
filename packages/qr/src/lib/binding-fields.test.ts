import { cardSaltOf, statusEntryOf } from "@haki/id-binding/salt";
import { base64urlnopad } from "@scure/base";
import { describe, expect, it } from "vitest";
import { decodeBinding, encodeBinding } from "./binding-fields";

const CARD = { id: "urn:uuid:6f1c2b9e-3a47-4c1d-9b2e-0d5f8a7c4e31", statusEntry: statusEntryOf("https://haki.example/api/status/1", 42) };
const DERIVED = base64urlnopad.encode(cardSaltOf(CARD)!);
const MAC = "Z1xv8gU2qJfYl0b3mRk4Tw";
const base = { v: 1 as const, kid: "opct-1", fields: "id+birthDate" as const, logN: 15, r: 8, p: 1, mac: MAC };

describe("the compact binding field", () => {
  it("leaves out a salt derived from the card's id and status entry, and derives it again", () => {
    const field = encodeBinding({ ...base, salt: DERIVED }, "opct", CARD) as unknown[];
    expect(field[3]).toBeNull();
    expect(decodeBinding(field, "opct", CARD)).toEqual({ ...base, salt: DERIVED });
  });

  it("keeps an older card's random salt (explicit, 16 bytes)", () => {
    const old = { ...base, salt: "q3Jd0VhM9n0y3TfGk1c5Ow" };
    const field = encodeBinding(old, "opct", CARD) as unknown[];
    expect(field[3]).toEqual(base64urlnopad.decode(old.salt));
    expect(decodeBinding(field, "opct", CARD)).toEqual(old);
    // A card without an id keeps its salt whatever it is.
    expect(decodeBinding(encodeBinding(old, "opct", { statusEntry: CARD.statusEntry }), "opct", {})).toEqual(old);
  });

  it("refuses a left-out salt on a card with nothing to derive it from, and a carried salt the decoder could derive", () => {
    const field = encodeBinding({ ...base, salt: DERIVED }, "opct", CARD) as unknown[];
    expect(() => decodeBinding(field, "opct", { statusEntry: CARD.statusEntry })).toThrow(/salt/);
    const carried = [...field];
    carried[3] = cardSaltOf(CARD);
    expect(() => decodeBinding(carried, "opct", CARD)).toThrow(/not canonical/);
  });

  it("derives another card's salt for another card: a binding moved to another card no longer matches its JWT", () => {
    const field = encodeBinding({ ...base, salt: DERIVED }, "opct", CARD);
    const other = { ...CARD, statusEntry: statusEntryOf("https://haki.example/api/status/1", 43) };
    expect(decodeBinding(field, "opct", other).salt).not.toBe(DERIVED);
  });
});
