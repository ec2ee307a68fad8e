/**
 * IETF Token Status List: the draft's own examples as vectors (draft-ietf-oauth-status-list, the
 * oauth-wg/draft-ietf-oauth-status-list repository: "Status List" section examples,
 * examples/status_list_encoding_json.md and status_list_encoding2_json.md, and the 2-bit test
 * vector of the "Test vectors" appendix, 2^20 entries), a cross-check both ways with
 * @sd-jwt/jwt-status-list (OpenWallet Foundation), and Haki's 2-bit list built from the Bitstring
 * revocation and suspension lists.
 */
import fc from "fast-check";
import { SignJWT, decodeProtectedHeader, generateKeyPair as joseKeyPair, exportJWK } from "jose";
import { StatusList as SdJwtStatusList, getListFromStatusListJWT } from "@sd-jwt/jwt-status-list";
import { describe, expect, it } from "vitest";
import { generateKeyPair, withIdentifier } from "@haki/credentials/keys";
import { createStatusList, setStatus } from "./bitstring";
import {
  buildStatusListToken,
  createTokenStatusList,
  createTokenStatusLookup,
  decodeTokenStatusList,
  encodeTokenStatusList,
  getTokenStatus,
  setTokenStatus,
  signStatusListToken,
  tokenStatusListFromBitstrings,
  verifyStatusListToken,
  TOKEN_STATUS,
} from "./token";
import { codeOf } from "@haki/testing/code-of";

const statuses = (list: ReturnType<typeof decodeTokenStatusList>, n: number) => Array.from({ length: n }, (_, i) => getTokenStatus(list, i));

describe("the draft's examples", () => {
  it("1 bit: statuses 1,0,0,1,1,1,0,1, 1,1,0,0,0,1,0,1 are bytes B9 A3 and lst eNrbuRgAAhcBXQ", () => {
    const list = decodeTokenStatusList({ bits: 1, lst: "eNrbuRgAAhcBXQ" });
    expect([...list.bytes]).toEqual([0xb9, 0xa3]);
    expect(statuses(list, 16)).toEqual([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);
    let built = createTokenStatusList(16, 1);
    [0, 3, 4, 5, 7, 8, 9, 13, 15].forEach((i) => (built = setTokenStatus(built, i, 1)));
    expect(encodeTokenStatusList(built)).toEqual({ bits: 1, lst: "eNrbuRgAAhcBXQ" });
  });

  it("2 bits: statuses 1,2,0,3,0,1,0,1,1,2,3,3 are bytes C9 44 F9 and lst eNo76fITAAPfAgc", () => {
    const list = decodeTokenStatusList({ bits: 2, lst: "eNo76fITAAPfAgc" });
    expect([...list.bytes]).toEqual([0xc9, 0x44, 0xf9]);
    expect(statuses(list, 12)).toEqual([1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]);
    let built = createTokenStatusList(12, 2);
    [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3].forEach((s, i) => (built = setTokenStatus(built, i, s)));
    expect(encodeTokenStatusList(built)).toEqual({ bits: 2, lst: "eNo76fITAAPfAgc" });
  });

  it("2 bits, 2^20 entries (test vector appendix)", () => {
    const lst =
      "eNrt2zENACEQAEEuoaBABP5VIO01fCjIHTMStt9ovGVIAAAAAABAbiEBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEB5WwIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAID0ugQAAAAAAAAAAAAAAAAAQG12SgAAAAAAAAAAAAAAAAAAAAAAAAAAAOCSIQEAAAAAAAAAAAAAAAAAAAAAAAD8ExIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwJEuAQAAAAAAAAAAAAAAAAAAAAAAAMB9SwIAAAAAAAAAAAAAAAAAAACoYUoAAAAAAAAAAAAAAEBqH81gAQw";
    const set: Record<number, number> = { 0: 1, 1993: 2, 25460: 1, 159495: 3, 495669: 1, 554353: 1, 645645: 2, 723232: 1, 854545: 1, 934534: 2, 1000345: 3 };
    const list = decodeTokenStatusList({ bits: 2, lst });
    expect(list.length).toBe(2 ** 20);
    for (let i = 0; i < list.length; i++) if (getTokenStatus(list, i) !== (set[i] ?? 0)) throw new Error(`index ${i}`);
    // Our encoder compresses the same statuses to a list the decoder reads back identically.
    let built = createTokenStatusList(2 ** 20, 2);
    for (const [i, s] of Object.entries(set)) built = setTokenStatus(built, Number(i), s);
    expect(decodeTokenStatusList(encodeTokenStatusList(built)).bytes).toEqual(list.bytes);
  });

  it("the draft's Status List Token (ES256) decodes, and Haki refuses it: only EdDSA is accepted", async () => {
    const jwt =
      "eyJhbGciOiJFUzI1NiIsImtpZCI6IjEyIiwidHlwIjoic3RhdHVzbGlzdCtqd3QifQ.eyJleHAiOjIyOTE3MjAxNzAsImlhdCI6MTY4NjkyMDE3MCwiaXNzIjoiaHR0cHM6Ly9leGFtcGxlLmNvbSIsInN0YXR1c19saXN0Ijp7ImJpdHMiOjEsImxzdCI6ImVOcmJ1UmdBQWhjQlhRIn0sInN1YiI6Imh0dHBzOi8vZXhhbXBsZS5jb20vc3RhdHVzbGlzdHMvMSIsInR0bCI6NDMyMDB9.2lKUUNG503R9htu4aHAYi7vjmr3sgApbfoDvPrl65N3URUO1EYqqQl45Jfzd-Av4QzlKa3oVALpLwOEUOq-U_g";
    expect(decodeProtectedHeader(jwt).typ).toBe("statuslist+jwt");
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString());
    expect(payload).toMatchObject({ sub: "https://example.com/statuslists/1", ttl: 43200, status_list: { bits: 1, lst: "eNrbuRgAAhcBXQ" } });
    expect(statuses(decodeTokenStatusList(payload.status_list), 4)).toEqual([1, 0, 0, 1]);
    const someKey = (await generateKeyPair()).publicJwk;
    expect(await codeOf(() => verifyStatusListToken(jwt, someKey, { now: new Date("2027-01-01T00:00:00Z") }))).toBe("ERR_STATUS_LIST_SIGNATURE");
  });
});

describe("Haki's 2-bit list from the Bitstring lists", () => {
  it("0 valid, 1 revoked, 2 suspended; revoked wins over suspended", () => {
    let revocation = createStatusList();
    let suspension = createStatusList();
    revocation = setStatus(revocation, 7);
    suspension = setStatus(suspension, 9);
    revocation = setStatus(revocation, 131_071);
    suspension = setStatus(suspension, 131_071);
    const token = tokenStatusListFromBitstrings({ revocation, suspension });
    expect(token.length).toBe(131_072);
    expect([0, 7, 9, 131_071].map((i) => getTokenStatus(token, i))).toEqual([TOKEN_STATUS.valid, TOKEN_STATUS.invalid, TOKEN_STATUS.suspended, TOKEN_STATUS.invalid]);
  });

  it("agrees with the Bitstring lists at every index (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(131_071), { maxLength: 30 }), fc.uniqueArray(fc.nat(131_071), { maxLength: 30 }), (r, s) => {
        const revocation = r.reduce((l, i) => setStatus(l, i), createStatusList());
        const suspension = s.reduce((l, i) => setStatus(l, i), createStatusList());
        const token = decodeTokenStatusList(encodeTokenStatusList(tokenStatusListFromBitstrings({ revocation, suspension })));
        for (const i of new Set([...r, ...s, 0, 131_071])) expect(getTokenStatus(token, i)).toBe(r.includes(i) ? 1 : s.includes(i) ? 2 : 0);
      }),
      { numRuns: 50 },
    );
  });

  it("refuses lists of different lengths", () => {
    expect(codeOf(() => tokenStatusListFromBitstrings({ revocation: createStatusList(), suspension: createStatusList(262_144) }))).toBe("ERR_STATUS_LIST_LENGTH");
  });
});

describe("@sd-jwt/jwt-status-list reads what Haki writes, and Haki reads what it writes", () => {
  it("both directions, 1, 2, 4 and 8 bits", () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 2, 4, 8), fc.array(fc.nat(255), { minLength: 8, maxLength: 200 }), (bits, raw) => {
        const values = raw.slice(0, raw.length - (raw.length % 8)).map((v) => v % 2 ** bits);
        let ours = createTokenStatusList(values.length, bits as 1 | 2 | 4 | 8);
        values.forEach((v, i) => (ours = setTokenStatus(ours, i, v)));
        const theirsRead = SdJwtStatusList.decompressStatusList(encodeTokenStatusList(ours).lst, bits as 1);
        expect(values.map((_, i) => theirsRead.getStatus(i))).toEqual(values);
        const theirs = new SdJwtStatusList(values, bits as 1).compressStatusList();
        expect(statuses(decodeTokenStatusList({ bits, lst: theirs }), values.length)).toEqual(values);
      }),
      { numRuns: 60 },
    );
  });
});

describe("Status List Tokens", () => {
  const uri = "https://issuer.example/status/1/token";

  it("sign (statuslist+jwt, EdDSA) and verify; the library reads the token too", async () => {
    const issuer = withIdentifier(await generateKeyPair(), "did:web:issuer.example", "key-1");
    const list = setTokenStatus(createTokenStatusList(131_072), 42, TOKEN_STATUS.suspended);
    const now = new Date("2027-03-01T00:00:00Z");
    const jwt = await signStatusListToken(buildStatusListToken({ uri, issuer: "https://issuer.example", list, issuedAt: now, validUntil: new Date("2027-03-02T00:00:00Z"), ttlSeconds: 3600 }), issuer);
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "EdDSA", typ: "statuslist+jwt", kid: issuer.kid });
    const verified = await verifyStatusListToken(jwt, issuer.publicJwk, { uri, issuer: "https://issuer.example", now });
    expect(getTokenStatus(verified.list, 42)).toBe(2);
    expect(verified).toMatchObject({ uri, ttlSeconds: 3600, validUntil: new Date("2027-03-02T00:00:00Z") });
    expect(getListFromStatusListJWT(jwt).getStatus(42)).toBe(2);
  });

  it("refuses a changed signature, another key, a MAC, a wrong typ, another URI, expiry, and a bomb", async () => {
    const issuer = withIdentifier(await generateKeyPair(), "did:web:issuer.example", "key-1");
    const now = new Date("2027-03-01T00:00:00Z");
    const payload = buildStatusListToken({ uri, list: createTokenStatusList(1024), issuedAt: now, validUntil: new Date("2027-03-02T00:00:00Z") });
    const jwt = await signStatusListToken(payload, issuer);
    const flipped = jwt.slice(0, -3) + (jwt.at(-3) === "A" ? "B" : "A") + jwt.slice(-2);
    const other = await generateKeyPair();
    const mac = await new SignJWT(payload).setProtectedHeader({ alg: "HS256", typ: "statuslist+jwt" }).sign(new Uint8Array(32));
    const plainJwt = await new SignJWT(payload).setProtectedHeader({ alg: "EdDSA", typ: "JWT" }).sign(issuer.privateKey);
    const bomb = await signStatusListToken({ ...payload, status_list: encodeTokenStatusList(createTokenStatusList(8 * 4 * 1024 * 1024, 8)) }, issuer);
    expect(await codeOf(() => verifyStatusListToken(flipped, issuer.publicJwk, { now }))).toBe("ERR_STATUS_LIST_SIGNATURE");
    expect(await codeOf(() => verifyStatusListToken(jwt, other.publicJwk, { now }))).toBe("ERR_STATUS_LIST_SIGNATURE");
    expect(await codeOf(() => verifyStatusListToken(mac, issuer.publicJwk, { now }))).toBe("ERR_STATUS_LIST_SIGNATURE");
    expect(await codeOf(() => verifyStatusListToken(plainJwt, issuer.publicJwk, { now }))).toBe("ERR_STATUS_LIST_CREDENTIAL_INVALID");
    expect(await codeOf(() => verifyStatusListToken(jwt, issuer.publicJwk, { now, uri: "https://issuer.example/status/2/token" }))).toBe("ERR_STATUS_LIST_URL_MISMATCH");
    expect(await codeOf(() => verifyStatusListToken(jwt, issuer.publicJwk, { now: new Date("2027-03-03T00:00:00Z") }))).toBe("ERR_STATUS_LIST_EXPIRED");
    expect(await codeOf(() => verifyStatusListToken(bomb, issuer.publicJwk, { now }))).toBe("ERR_STATUS_LIST_TOO_LARGE");
    expect(await codeOf(() => verifyStatusListToken(jwt, { kty: "EC" } as never, { now }))).toBe("ERR_STATUS_LIST_KEY");
  });

  it("refuses damaged lists: not base64url, not ZLIB, a wrong checksum, bytes after the stream", async () => {
    const good = encodeTokenStatusList(setTokenStatus(createTokenStatusList(64), 3, 1));
    const bytes = Buffer.from(good.lst, "base64url");
    const badSum = Buffer.from(bytes);
    badSum[badSum.length - 1]! ^= 1;
    for (const lst of ["***", Buffer.from("not zlib at all").toString("base64url"), badSum.toString("base64url"), Buffer.concat([bytes.subarray(0, -4), Buffer.of(0), bytes.subarray(-4)]).toString("base64url"), bytes.subarray(0, -6).toString("base64url")]) {
      expect(codeOf(() => decodeTokenStatusList({ bits: 2, lst }))).toBe("ERR_STATUS_LIST_MALFORMED");
    }
    expect(codeOf(() => decodeTokenStatusList({ bits: 3, lst: good.lst }))).toBe("ERR_STATUS_LIST_MALFORMED");
  });

  it("lookup: the status of a referenced token, undefined once the list is past exp or ttl, out of range throws", () => {
    const list = setTokenStatus(createTokenStatusList(64), 5, TOKEN_STATUS.invalid);
    let now = new Date("2027-03-01T00:00:00Z");
    const lookup = createTokenStatusLookup([{ uri, list, fetchedAt: now, ttlSeconds: 600, validUntil: new Date("2027-03-02T00:00:00Z") }], { now: () => now });
    expect(lookup({ status_list: { idx: 5, uri } })).toBe(1);
    expect(lookup({ status_list: { idx: 6, uri } })).toBe(0);
    expect(lookup({ status_list: { idx: 5, uri: "https://issuer.example/other" } })).toBeUndefined();
    expect(codeOf(() => lookup({ status_list: { idx: 64, uri } }))).toBe("ERR_STATUS_INDEX_OUT_OF_RANGE");
    now = new Date("2027-03-01T00:11:00Z");
    expect(lookup({ status_list: { idx: 5, uri } })).toBeUndefined();
  });

  it("keys: an EC JWK from jose is refused for signing checks", async () => {
    const ec = await exportJWK((await joseKeyPair("ES256")).publicKey);
    expect(await codeOf(() => verifyStatusListToken("a.b.c", ec))).toBe("ERR_STATUS_LIST_KEY");
  });
});

describe("an SD-JWT VC's status, through Haki's Token Status List", () => {
  it("Haki's verifier and @sd-jwt/sd-jwt-vc both read the list Haki signs from the Bitstring pair", async () => {
    const { issueSdJwtVc, presentSdJwtVc, verifySdJwtVc } = await import("@haki/credentials/sd-jwt");
    const { trustListOf } = await import("@haki/credentials/trust");
    const { SDJwtVcInstance } = await import("@sd-jwt/sd-jwt-vc");
    const { compactVerify, importJWK } = await import("jose");
    const { createHash } = await import("node:crypto");
    const issuer = withIdentifier(await generateKeyPair(), "did:web:issuer.example", "key-1");
    const holder = await generateKeyPair();
    const trust = trustListOf({ did: issuer.did, name: "Ministry", keys: [{ id: "key-1", publicKeyJwk: issuer.publicJwk }] });
    const uri = "https://issuer.example/status/1/token";
    const now = new Date("2027-03-15T12:00:00Z");
    const subject = { beneficiary: "HK-7M2Q9XK4TB", programme: { id: "demo-cash", name: "Cash transfer (demo)" }, cycle: "demo-1", benefit: { type: "Cash" as const, amount: 2500, currency: "KES" }, redemption: "single" as const };
    const sdJwt = await issueSdJwtVc({ issuerUrl: "https://issuer.example", holder: holder.did, subject, validFrom: "2027-03-01", validUntil: "2027-04-01", status: { uri, index: 7 } }, issuer);
    const shown = await presentSdJwtVc(sdJwt, holder, { disclose: ["benefit"], audience: "sp-1", nonce: "n-1", now });

    for (const [revoked, suspended, expected] of [[[], [], "valid"], [[7], [], "ERR_REVOKED"], [[], [7], "ERR_SUSPENDED"], [[7], [7], "ERR_REVOKED"]] as const) {
      const list = tokenStatusListFromBitstrings({
        revocation: revoked.reduce((l, i) => setStatus(l, i), createStatusList()),
        suspension: suspended.reduce((l, i) => setStatus(l, i), createStatusList()),
      });
      const jwt = await signStatusListToken(buildStatusListToken({ uri, issuer: "https://issuer.example", list, issuedAt: now, ttlSeconds: 3600 }), issuer);
      const verified = await verifyStatusListToken(jwt, issuer.publicJwk, { uri, now });
      const status = createTokenStatusLookup([{ ...verified, fetchedAt: now }], { now: () => now });
      const r = await verifySdJwtVc(shown, trust, { now, audience: "sp-1", nonce: "n-1", status, requireStatus: true });
      expect(r.valid ? "valid" : r.code).toBe(expected);

      const seen: number[] = [];
      const verify = async (data: string, sig: string, jwk: object) => {
        const [h, p] = data.split(".");
        return compactVerify(`${h}.${p}.${sig}`, await importJWK(jwk, "EdDSA")).then(() => true, () => false);
      };
      const lib = new SDJwtVcInstance({
        hasher: async (d) => new Uint8Array(createHash("sha256").update(typeof d === "string" ? d : Buffer.from(d)).digest()),
        verifier: (data, sig) => verify(data, sig, issuer.publicJwk),
        kbVerifier: (data, sig, payload) => verify(data, sig, (payload.cnf as { jwk: object }).jwk),
        statusListFetcher: async () => jwt,
        statusValidator: async (s) => void seen.push(s),
      });
      await lib.verify(shown, { keyBindingNonce: "n-1", currentDate: Math.floor(now.getTime() / 1000) });
      expect(seen).toEqual([expected === "valid" ? 0 : expected === "ERR_REVOKED" ? 1 : 2]);
    }
  });
});
