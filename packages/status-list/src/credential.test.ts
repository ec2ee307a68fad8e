import { beforeAll, describe, expect, it } from "vitest";
import { SignJWT, decodeJwt, decodeProtectedHeader, exportJWK, type CryptoKey, type JWK } from "jose";
import { gzipSync } from "fflate";
import { base64url } from "jose";
import { createStatusList, getStatus, setStatus } from "./bitstring";
import {
  STATUS_LIST_CONTEXT_V1,
  buildStatusListCredential,
  signStatusListCredential,
  verifyStatusListCredential,
  type StatusListJwtPayload,
} from "./credential";
import { generateKeyPair, withIdentifier } from "@haki/credentials/keys";
import { codeOf } from "@haki/testing/code-of";

const ISSUER = "did:web:issuer.example";
const URL_R = "https://issuer.example/status/revocation/1";
const T0 = new Date("2027-03-01T08:00:00Z");
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

interface Pair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}
let keys: Pair;
let other: Pair;

async function ed25519(): Promise<Pair> {
  return (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as Pair;
}

beforeAll(async () => {
  keys = await ed25519();
  other = await ed25519();
});

function payload(overrides: { validUntil?: Date; ttlMs?: number } = {}): StatusListJwtPayload {
  return buildStatusListCredential({
    url: URL_R,
    issuer: ISSUER,
    purpose: "revocation",
    list: setStatus(createStatusList(), 94_567),
    issuedAt: T0,
    ...overrides,
  });
}

describe("buildStatusListCredential", () => {
  it("produces the VC 1.1 JWT shape of a BitstringStatusListCredential", () => {
    const p = payload({ validUntil: at(60 * 24), ttlMs: 3_600_000 });
    expect(p).toMatchObject({
      iss: ISSUER,
      jti: URL_R,
      iat: T0.getTime() / 1000,
      nbf: T0.getTime() / 1000,
      exp: at(60 * 24).getTime() / 1000,
      vc: {
        "@context": ["https://www.w3.org/2018/credentials/v1", STATUS_LIST_CONTEXT_V1],
        type: ["VerifiableCredential", "BitstringStatusListCredential"],
        credentialSubject: {
          id: `${URL_R}#list`,
          type: "BitstringStatusList",
          statusPurpose: "revocation",
          ttl: 3_600_000,
        },
      },
    });
    expect(p.vc.credentialSubject.encodedList.startsWith("u")).toBe(true);
  });

  it("refuses bad input with ERR_STATUS_LIST_CREDENTIAL_INVALID", async () => {
    const list = createStatusList();
    const base = { url: URL_R, issuer: ISSUER, purpose: "revocation" as const, list, issuedAt: T0 };
    for (const bad of [
      { ...base, url: "not a url" },
      { ...base, issuer: "alice" },
      { ...base, purpose: "refresh" as unknown as "revocation" },
      { ...base, validUntil: at(-1) },
      { ...base, ttlMs: -5 },
    ]) {
      expect(await codeOf(async () => buildStatusListCredential(bad))).toBe("ERR_STATUS_LIST_CREDENTIAL_INVALID");
    }
  });
});

describe("sign and verify", () => {
  it("round-trips with Web Crypto keys and returns the decoded list", async () => {
    const jwt = await signStatusListCredential(payload({ validUntil: at(60) }), keys.privateKey, { kid: `${ISSUER}#k1` });
    expect(decodeProtectedHeader(jwt)).toEqual({ alg: "EdDSA", typ: "JWT", kid: `${ISSUER}#k1` });
    const v = await verifyStatusListCredential(jwt, keys.publicKey, {
      now: at(5),
      issuer: ISSUER,
      url: URL_R,
      purpose: "revocation",
    });
    expect(v.url).toBe(URL_R);
    expect(v.issuer).toBe(ISSUER);
    expect(v.purposes).toEqual(["revocation"]);
    expect(v.issuedAt).toEqual(T0);
    expect(v.validUntil).toEqual(at(60));
    expect(getStatus(v.list, 94_567)).toBe(true);
    expect(getStatus(v.list, 94_566)).toBe(false);
  });

  it("round-trips with JWKs (private JWK to sign, public JWK to verify)", async () => {
    const privateJwk = await exportJWK(keys.privateKey);
    const publicJwk = await exportJWK(keys.publicKey);
    const jwt = await signStatusListCredential(payload(), privateJwk);
    const v = await verifyStatusListCredential(jwt, publicJwk, { now: at(1) });
    expect(getStatus(v.list, 94_567)).toBe(true);
    // A private JWK given to verify is reduced to its public part.
    expect((await verifyStatusListCredential(jwt, privateJwk, { now: at(1) })).url).toBe(URL_R);
  });

  it("signs with a Haki key pair (@haki/credentials/keys) and refuses a key of another issuer", async () => {
    const issuer = withIdentifier(await generateKeyPair(), ISSUER, "key-1");
    const jwt = await signStatusListCredential(payload(), issuer);
    expect(decodeProtectedHeader(jwt).kid).toBe(`${ISSUER}#key-1`);
    expect((await verifyStatusListCredential(jwt, issuer.publicJwk, { now: at(1) })).issuer).toBe(ISSUER);
    const stranger = withIdentifier(await generateKeyPair(), "did:web:other.example", "key-1");
    expect(await codeOf(() => signStatusListCredential(payload(), stranger))).toBe("ERR_STATUS_LIST_KEY");
    expect(await codeOf(() => signStatusListCredential(payload(), keys.privateKey, { kid: "did:web:other.example#k" }))).toBe(
      "ERR_STATUS_LIST_KEY",
    );
  });

  it("names the did:key verification method when the issuer is a did:key and no kid is given", async () => {
    const did = "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK";
    const p = buildStatusListCredential({ url: URL_R, issuer: did, purpose: "suspension", list: createStatusList() });
    const jwt = await signStatusListCredential(p, keys.privateKey);
    expect(decodeProtectedHeader(jwt).kid).toBe(`${did}#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK`);
  });

  it("refuses a list signed by another key, or altered after signing (ERR_STATUS_LIST_SIGNATURE)", async () => {
    const jwt = await signStatusListCredential(payload(), keys.privateKey);
    expect(await codeOf(() => verifyStatusListCredential(jwt, other.publicKey, { now: at(1) }))).toBe(
      "ERR_STATUS_LIST_SIGNATURE",
    );
    const [h, , s] = jwt.split(".");
    const claims = decodeJwt(jwt) as unknown as StatusListJwtPayload;
    claims.vc.credentialSubject.encodedList = buildStatusListCredential({
      url: URL_R,
      issuer: ISSUER,
      purpose: "revocation",
      list: createStatusList(),
    }).vc.credentialSubject.encodedList; // "un-revoke" everyone
    const forged = `${h}.${base64url.encode(JSON.stringify(claims))}.${s}`;
    expect(await codeOf(() => verifyStatusListCredential(forged, keys.publicKey, { now: at(1) }))).toBe(
      "ERR_STATUS_LIST_SIGNATURE",
    );
  });

  it("refuses unsigned (alg none) and HMAC tokens", async () => {
    const claims = payload() as unknown as Record<string, unknown>;
    const none = `${base64url.encode('{"alg":"none"}')}.${base64url.encode(JSON.stringify(claims))}.`;
    expect(await codeOf(() => verifyStatusListCredential(none, keys.publicKey, { now: at(1) }))).toMatch(
      /ERR_STATUS_LIST_(SIGNATURE|CREDENTIAL_INVALID)/,
    );
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).sign(new Uint8Array(32));
    expect(await codeOf(() => verifyStatusListCredential(hs, keys.publicKey, { now: at(1) }))).toMatch(
      /ERR_STATUS_LIST_(SIGNATURE|CREDENTIAL_INVALID)/,
    );
  });

  it("refuses an expired list and a list from the future", async () => {
    const jwt = await signStatusListCredential(payload({ validUntil: at(60) }), keys.privateKey);
    expect(await codeOf(() => verifyStatusListCredential(jwt, keys.publicKey, { now: at(66) }))).toBe(
      "ERR_STATUS_LIST_EXPIRED",
    );
    // Within the default five minutes of clock tolerance it still verifies.
    expect((await verifyStatusListCredential(jwt, keys.publicKey, { now: at(64) })).url).toBe(URL_R);
    expect(await codeOf(() => verifyStatusListCredential(jwt, keys.publicKey, { now: at(-30) }))).toBe(
      "ERR_STATUS_LIST_NOT_YET_VALID",
    );
  });

  it("refuses a list from another issuer, URL or purpose than the entry expects", async () => {
    const jwt = await signStatusListCredential(payload(), keys.privateKey);
    const now = at(1);
    expect(await codeOf(() => verifyStatusListCredential(jwt, keys.publicKey, { now, issuer: "did:web:evil.example" }))).toBe(
      "ERR_STATUS_LIST_ISSUER_MISMATCH",
    );
    expect(await codeOf(() => verifyStatusListCredential(jwt, keys.publicKey, { now, url: `${URL_R}0` }))).toBe(
      "ERR_STATUS_LIST_URL_MISMATCH",
    );
    expect(await codeOf(() => verifyStatusListCredential(jwt, keys.publicKey, { now, purpose: "suspension" }))).toBe(
      "ERR_STATUS_PURPOSE_MISMATCH",
    );
  });

  it("refuses a correctly signed token of the wrong shape (ERR_STATUS_LIST_CREDENTIAL_INVALID)", async () => {
    const p = payload() as unknown as { vc: { type: string[] } };
    p.vc.type = ["VerifiableCredential", "EntitlementCredential"];
    const jwt = await new SignJWT(p as unknown as Record<string, unknown>)
      .setProtectedHeader({ alg: "EdDSA" })
      .sign(keys.privateKey);
    expect(await codeOf(() => verifyStatusListCredential(jwt, keys.publicKey, { now: at(1) }))).toBe(
      "ERR_STATUS_LIST_CREDENTIAL_INVALID",
    );
    expect(await codeOf(() => verifyStatusListCredential("not.a.jwt", keys.publicKey, { now: at(1) }))).toBe(
      "ERR_STATUS_LIST_CREDENTIAL_INVALID",
    );
    expect(await codeOf(() => verifyStatusListCredential("garbage", keys.publicKey))).toBe(
      "ERR_STATUS_LIST_CREDENTIAL_INVALID",
    );
  });

  it("refuses a signed decompression bomb (ERR_STATUS_LIST_TOO_LARGE)", async () => {
    const p = payload();
    p.vc.credentialSubject.encodedList =
      "u" + base64url.encode(gzipSync(new Uint8Array(8 * 1024 * 1024), { level: 9, mtime: 0 }));
    const jwt = await signStatusListCredential(p, keys.privateKey);
    expect(await codeOf(() => verifyStatusListCredential(jwt, keys.publicKey, { now: at(1) }))).toBe(
      "ERR_STATUS_LIST_TOO_LARGE",
    );
  });

  it("refuses keys that are not Ed25519 (ERR_STATUS_LIST_KEY)", async () => {
    const ec = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
      "sign",
      "verify",
    ])) as Pair;
    expect(await codeOf(() => signStatusListCredential(payload(), ec.privateKey))).toBe("ERR_STATUS_LIST_KEY");
    expect(await codeOf(() => signStatusListCredential(payload(), keys.publicKey))).toBe("ERR_STATUS_LIST_KEY");
    const publicJwk = await exportJWK(keys.publicKey);
    expect(await codeOf(() => signStatusListCredential(payload(), publicJwk))).toBe("ERR_STATUS_LIST_KEY");
    const rsaLike: JWK = { kty: "RSA", n: "AQAB", e: "AQAB" };
    const jwt = await signStatusListCredential(payload(), keys.privateKey);
    expect(await codeOf(() => verifyStatusListCredential(jwt, rsaLike))).toBe("ERR_STATUS_LIST_KEY");
    expect(await codeOf(() => verifyStatusListCredential(jwt, { kty: "OKP", crv: "Ed25519", x: "short" }))).toBe(
      "ERR_STATUS_LIST_KEY",
    );
  });
});
