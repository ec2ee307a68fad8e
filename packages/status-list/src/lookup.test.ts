import { beforeAll, describe, expect, it } from "vitest";
import type { CryptoKey } from "jose";
import { buildEntitlementPayload } from "@haki/credentials/canonical";
import type { BitstringStatusListEntry, EntitlementInput } from "@haki/credentials/model";
import { createStatusList, setStatus } from "./bitstring";
import {
  ensureNotRolledBack,
  isStale,
  needsRefresh,
  parseStatusListCache,
  serializeStatusListCache,
  toStatusListCache,
  type StatusListCache,
} from "./cache";
import { buildStatusListCredential, signStatusListCredential, verifyStatusListCredential } from "./credential";
import { checkStatusEntry, createStatusLookup } from "./lookup";
import { signCredential } from "@haki/credentials/sign";
import { createDemoIssuer, demoEntitlementInput, demoStatusUrls } from "@haki/credentials/testing";
import { verifyCredential } from "@haki/credentials/verify";
import { codeOf } from "@haki/testing/code-of";

const ISSUER = "did:web:issuer.example";
const { revocation: REVOCATION, suspension: SUSPENSION } = demoStatusUrls("https://issuer.example");
const T0 = new Date("2027-03-01T08:00:00Z");
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

/** A real entitlement input (@haki/credentials' demo one) at `index` in this file's two lists. */
const inputAt = (index: number): EntitlementInput =>
  demoEntitlementInput({ issuer: ISSUER, status: { revocationList: REVOCATION, suspensionList: SUSPENSION, index } });

/** The two entries of a real entitlement credential, built by @haki/credentials. */
function entriesFor(index: number): { revocation: BitstringStatusListEntry; suspension: BitstringStatusListEntry } {
  const payload = buildEntitlementPayload(inputAt(index));
  const [a, b] = payload.vc.credentialStatus;
  if (!a || !b) throw new Error("entitlement payload without status entries");
  return a.statusPurpose === "revocation" ? { revocation: a, suspension: b } : { revocation: b, suspension: a };
}

function cache(url: string, purpose: "revocation" | "suspension", set: number[], validUntil = at(60)): StatusListCache {
  let list = createStatusList();
  for (const i of set) list = setStatus(list, i);
  return { url, purpose, issuer: ISSUER, fetchedAt: T0, validUntil, list };
}

describe("checkStatusEntry / createStatusLookup", () => {
  const lists = [cache(REVOCATION, "revocation", [7]), cache(SUSPENSION, "suspension", [9])];

  it("answers true for a set bit, false for a clear one", () => {
    const status = createStatusLookup(lists, { now: () => at(1) });
    expect(status(entriesFor(7).revocation)).toBe(true);
    expect(status(entriesFor(7).suspension)).toBe(false);
    expect(status(entriesFor(9).suspension)).toBe(true);
    expect(status(entriesFor(9).revocation)).toBe(false);
  });

  it("answers undefined when no list is held for the URL, or the held list serves another purpose", () => {
    const status = createStatusLookup([cache(REVOCATION, "revocation", [7])], { now: () => at(1) });
    expect(status(entriesFor(7).suspension)).toBeUndefined();
    const misfiled = createStatusLookup([cache(SUSPENSION, "revocation", [9])], { now: () => at(1) });
    expect(misfiled(entriesFor(9).suspension)).toBeUndefined();
  });

  it("does not rely on a stale list unless asked to", () => {
    expect(checkStatusEntry(entriesFor(7).revocation, lists, { now: at(59) })).toBe(true);
    expect(checkStatusEntry(entriesFor(7).revocation, lists, { now: at(60) })).toBeUndefined();
    expect(checkStatusEntry(entriesFor(7).revocation, lists, { now: at(90), allowStale: true })).toBe(true);
    let clock = at(1);
    const status = createStatusLookup(lists, { now: () => clock });
    expect(status(entriesFor(7).revocation)).toBe(true);
    clock = at(61);
    expect(status(entriesFor(7).revocation)).toBeUndefined();
  });

  it("uses the most recently fetched fresh copy", () => {
    const older = cache(REVOCATION, "revocation", []);
    const newer = { ...cache(REVOCATION, "revocation", [7]), fetchedAt: at(10) };
    expect(checkStatusEntry(entriesFor(7).revocation, [newer, older], { now: at(11) })).toBe(true);
    expect(checkStatusEntry(entriesFor(7).revocation, [older, newer], { now: at(11) })).toBe(true);
  });

  it("throws ERR_STATUS_INDEX_OUT_OF_RANGE when the entry points past the held list", () => {
    const status = createStatusLookup(lists, { now: () => at(1) });
    expect(codeOf(() => status(entriesFor(131_072).revocation))).toBe("ERR_STATUS_INDEX_OUT_OF_RANGE");
  });

  it("refuses an entry of the wrong shape", () => {
    const bad = { ...entriesFor(7).revocation, statusListIndex: "-1" };
    expect(() => checkStatusEntry(bad, lists, { now: at(1) })).toThrow();
  });
});

describe("StatusListCache", () => {
  let verified: Awaited<ReturnType<typeof verifyStatusListCredential>>;
  beforeAll(async () => {
    const keys = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as { privateKey: CryptoKey; publicKey: CryptoKey };
    const payload = buildStatusListCredential({
      url: REVOCATION,
      issuer: ISSUER,
      purpose: "revocation",
      list: setStatus(createStatusList(), 7),
      issuedAt: T0,
      validUntil: at(120),
      ttlMs: 30 * 60_000,
    });
    const jwt = await signStatusListCredential(payload, keys.privateKey);
    verified = await verifyStatusListCredential(jwt, keys.publicKey, { now: at(1) });
  });

  it("issue 12, ttl is a refresh hint: the copy stays usable until exp (or the verifier's max age), ttl only sets refreshAfter", () => {
    const c = toStatusListCache(verified, { fetchedAt: at(1) });
    expect(c.validUntil).toEqual(at(120)); // exp, not fetchedAt + ttl (at(31))
    expect(c.refreshAfter).toEqual(at(31)); // fetchedAt + ttl
    expect(c.issuedAt).toEqual(T0);
    expect(toStatusListCache(verified, { fetchedAt: at(100) }).validUntil).toEqual(at(120)); // exp
    expect(toStatusListCache(verified, { fetchedAt: at(1), maxAgeSeconds: 60 }).validUntil).toEqual(at(2));
    expect(codeOf(() => toStatusListCache(verified, { purpose: "suspension" }))).toBe("ERR_STATUS_PURPOSE_MISMATCH");
  });

  it("issue 12, ttl is a refresh hint: past the ttl the list needs a refresh but still answers; isStale turns true at validUntil", () => {
    const c = toStatusListCache(verified, { fetchedAt: at(1) });
    expect(needsRefresh(c, at(30))).toBe(false);
    expect(needsRefresh(c, at(31))).toBe(true);
    expect(isStale(c, at(31))).toBe(false);
    expect(checkStatusEntry(entriesFor(7).revocation, [c], { now: at(60) })).toBe(true);
    expect(isStale(c, at(119))).toBe(false);
    expect(isStale(c, at(120))).toBe(true);
    expect(checkStatusEntry(entriesFor(7).revocation, [c], { now: at(120) })).toBeUndefined();
    // Without a ttl, a copy needs a refresh once it is stale.
    const noHint = { ...c, refreshAfter: undefined };
    expect(needsRefresh(noHint, at(119))).toBe(false);
    expect(needsRefresh(noHint, at(120))).toBe(true);
  });

  it("issue 12, rollback: a copy issued before the one held is refused with ERR_STATUS_LIST_ROLLBACK; the same or a newer one is kept", () => {
    const held = toStatusListCache(verified, { fetchedAt: at(1) });
    const older = { ...held, issuedAt: at(-10), fetchedAt: at(5) };
    const same = { ...held, fetchedAt: at(5) };
    const newer = { ...held, issuedAt: at(3), fetchedAt: at(5) };
    expect(codeOf(() => ensureNotRolledBack(held, older))).toBe("ERR_STATUS_LIST_ROLLBACK");
    expect(ensureNotRolledBack(held, same)).toBe(same);
    expect(ensureNotRolledBack(held, newer)).toBe(newer);
    expect(ensureNotRolledBack(undefined, older)).toBe(older);
    // A record stored before issue times were kept cannot be compared: the fresh copy is taken.
    expect(ensureNotRolledBack({ ...held, issuedAt: undefined }, older)).toBe(older);
  });

  it("survives storage as JSON and refuses a damaged record", () => {
    const c = toStatusListCache(verified, { fetchedAt: at(1) });
    const stored = JSON.parse(JSON.stringify(serializeStatusListCache(c))) as unknown;
    const back = parseStatusListCache(stored);
    expect(back).toEqual(c);
    expect(checkStatusEntry(entriesFor(7).revocation, [back], { now: at(2) })).toBe(true);
    expect(codeOf(() => parseStatusListCache({ ...(stored as object), fetchedAt: "yesterday" }))).toBe(
      "ERR_STATUS_LIST_CREDENTIAL_INVALID",
    );
    expect(codeOf(() => parseStatusListCache({ ...(stored as object), encodedList: "uAAAA" }))).toBe(
      "ERR_STATUS_LIST_MALFORMED",
    );
  });
});

describe("plugged into verifyCredential of @haki/credentials", () => {
  it("turns a revoked or suspended bit into ERR_REVOKED / ERR_SUSPENDED, and clear bits into status ok", async () => {
    const { key: issuer, trust } = await createDemoIssuer({ did: ISSUER, name: "Ministry" });
    const publish = async (url: string, purpose: "revocation" | "suspension", set: number[]) => {
      let list = createStatusList();
      for (const i of set) list = setStatus(list, i);
      const jwt = await signStatusListCredential(
        buildStatusListCredential({ url, issuer: ISSUER, purpose, list, issuedAt: T0, validUntil: at(24 * 60) }),
        issuer,
      );
      return toStatusListCache(await verifyStatusListCredential(jwt, issuer.publicJwk, { now: at(1), issuer: ISSUER, url, purpose }), {
        fetchedAt: at(1),
      });
    };
    const caches = [await publish(REVOCATION, "revocation", [11]), await publish(SUSPENSION, "suspension", [12])];
    const status = createStatusLookup(caches, { now: () => at(2) });
    const check = async (index: number) => verifyCredential(await signCredential(inputAt(index), issuer), trust, { now: at(2), status, requireStatus: true });

    const ok = await check(10);
    expect(ok.valid && ok.status).toEqual({ revocation: "ok", suspension: "ok" });
    expect((await check(11)) as { code?: string }).toMatchObject({ valid: false, code: "ERR_REVOKED" });
    expect((await check(12)) as { code?: string }).toMatchObject({ valid: false, code: "ERR_SUSPENDED" });
    const later = await verifyCredential(await signCredential(inputAt(10), issuer), trust, {
      now: at(3 * 24 * 60),
      status: createStatusLookup(caches, { now: () => at(3 * 24 * 60) }),
      requireStatus: true,
    });
    expect(later).toMatchObject({ valid: false, code: "ERR_STATUS_UNAVAILABLE" });
  });
});
