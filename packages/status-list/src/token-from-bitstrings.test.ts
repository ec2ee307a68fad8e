import { describe, expect, it } from "vitest";
import { createStatusList, updateStatuses } from "./bitstring";
import type { StatusListCache } from "./cache";
import { createStatusLookup } from "./lookup";
import { createTokenStatusLookup, getTokenStatus, tokenStatusListFromBitstrings } from "./token";
import { bitstringUrlForToken, createTokenStatusLookupFromBitstrings } from "./token-from-bitstrings";

const NOW = new Date("2027-03-10T09:00:00Z");
const BASE = "https://pay.example/status/7";

function held(purpose: "revocation" | "suspension", set: number[]): StatusListCache {
  const list = updateStatuses(createStatusList(), { set });
  return { url: `${BASE}/${purpose}`, purpose, issuer: "did:web:pay.example", fetchedAt: NOW, validUntil: new Date(NOW.getTime() + 86_400_000), refreshAfter: new Date(NOW.getTime() + 300_000), list };
}

describe("the Token Status List read from the Bitstring pair it is published from", () => {
  it("names the pair by the token URL's `token` segment, as the issuer publishes them", () => {
    expect(bitstringUrlForToken(`${BASE}/token`, "revocation")).toBe(`${BASE}/revocation`);
    expect(bitstringUrlForToken("https://issuer.test/status/token/1", "suspension")).toBe("https://issuer.test/status/suspension/1");
    expect(bitstringUrlForToken("https://issuer.test/status/7/list", "revocation")).toBeUndefined();
  });

  it("answers every index as the published token list does: 0 valid, 1 revoked (wins), 2 suspended", () => {
    const revocation = held("revocation", [3, 9, 200]);
    const suspension = held("suspension", [3, 4, 201]);
    const published = tokenStatusListFromBitstrings({ revocation: revocation.list, suspension: suspension.list });
    const fromToken = createTokenStatusLookup([{ uri: `${BASE}/token`, list: published, fetchedAt: NOW }], { now: () => NOW });
    const fromPair = createTokenStatusLookupFromBitstrings(createStatusLookup([revocation, suspension], { now: () => NOW }));
    for (let idx = 0; idx < 256; idx++) {
      const reference = { status_list: { idx, uri: `${BASE}/token` } };
      expect(fromPair(reference)).toBe(fromToken(reference));
    }
    expect([3, 4, 9, 10].map((idx) => fromPair({ status_list: { idx, uri: `${BASE}/token` } }))).toEqual([1, 2, 1, 0]);
    expect(getTokenStatus(published, 201)).toBe(2);
  });

  it("is unknown (undefined) when a list of the pair is not held or is past its validUntil", () => {
    const revocation = held("revocation", []);
    const onlyOne = createTokenStatusLookupFromBitstrings(createStatusLookup([revocation], { now: () => NOW }));
    expect(onlyOne({ status_list: { idx: 1, uri: `${BASE}/token` } })).toBeUndefined();
    const later = new Date(NOW.getTime() + 2 * 86_400_000);
    const stale = createTokenStatusLookupFromBitstrings(createStatusLookup([revocation, held("suspension", [])], { now: () => later }));
    expect(stale({ status_list: { idx: 1, uri: `${BASE}/token` } })).toBeUndefined();
    expect(onlyOne({ status_list: { idx: 1, uri: "https://elsewhere.example/status/7/token" } })).toBeUndefined();
  });
});
