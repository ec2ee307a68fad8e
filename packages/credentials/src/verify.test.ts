import { describe, expect, it } from "vitest";
import { SignJWT, generateKeyPair as joseGenerateKeyPair } from "jose";
import { buildEntitlementPayload } from "./canonical";
import { VERIFICATION_ERROR_CODES, type VerificationErrorCode } from "./errors";
import { generateKeyPair, withIdentifier, type HakiKeyPair } from "./keys";
import type { BitstringStatusListEntry, EntitlementInput } from "./model";
import { signPresentation, verifyPresentation } from "./presentation";
import { signCredential } from "./sign";
import { trustListOf } from "./trust";
import { verifyCredential, type StatusLookup, type VerificationResult, type VerifyCredentialOptions } from "./verify";
import { b64url, ISSUER_DID, makeFixture, NOW, sampleInput, signManual, signRaw, type Fixture } from "../test/fixtures";

// Top-level await: the matrix rows below are built at collection time.
const f: Fixture = await makeFixture();
const input: EntitlementInput = sampleInput(f.issuer.did, f.holder.did);
const good: string = await signCredential(input, f.issuer);

const at = (now: string | Date, extra: VerifyCredentialOptions = {}): VerifyCredentialOptions => ({ now: new Date(now), ...extra });

function expectCode(r: VerificationResult, code: VerificationErrorCode) {
  expect(r.valid ? "valid" : r.code).toBe(code);
  if (!r.valid) {
    expect(r.reason.length).toBeGreaterThan(10);
    expect(r.error.code).toBe(code);
  }
}

const statusLookup =
  (bits: Partial<Record<"revocation" | "suspension", boolean | undefined>>): StatusLookup =>
  (e: BitstringStatusListEntry) =>
    bits[e.statusPurpose];

describe("verifyCredential: valid credentials", () => {
  it("accepts a Haki credential and reports what the counter needs", async () => {
    const r = await verifyCredential(good, f.trust, at(NOW, { status: statusLookup({ revocation: false, suspension: false }), requireStatus: true }));
    if (!r.valid) throw new Error(r.code);
    expect(r.subject.benefit).toEqual({ type: "Cash", amount: 2500, currency: "KES" });
    expect(r.issuer).toEqual({ did: ISSUER_DID, name: "Ministry of Labour" });
    expect(r.kid).toBe(`${ISSUER_DID}#key-1`);
    expect(r.holder).toBe(f.holder.did);
    expect(r.holderBinding).toBe("required");
    expect(r.status).toEqual({ revocation: "ok", suspension: "ok" });
    expect(r.validUntil.toISOString()).toBe("2027-04-01T00:00:00.000Z");
  });

  it("reports a paper card (no holder) as holderBinding none, even when holder proof is required", async () => {
    const paper = await signCredential(sampleInput(f.issuer.did), f.issuer);
    const r = await verifyCredential(paper, f.trust, at(NOW, { requireHolderProof: true }));
    expect(r.valid && r.holderBinding).toBe("none");
  });

  it("uses the system clock when no time is given", async () => {
    const { vi } = await import("vitest");
    vi.useFakeTimers({ now: NOW, toFake: ["Date"] });
    try {
      expect((await verifyCredential(good, f.trust)).valid).toBe(true);
      vi.setSystemTime(new Date("2027-05-01T00:00:00Z"));
      expectCode(await verifyCredential(good, f.trust), "ERR_EXPIRED");
    } finally {
      vi.useRealTimers();
    }
  });

  it("marks status unknown when a lookup has no list, and unchecked without lookup", async () => {
    const r = await verifyCredential(good, f.trust, at(NOW, { status: () => undefined }));
    expect(r.valid && r.status).toEqual({ revocation: "unknown", suspension: "unknown" });
    const r2 = await verifyCredential(good, f.trust, at(NOW));
    expect(r2.valid && r2.status).toEqual({ revocation: "unchecked", suspension: "unchecked" });
  });

  it("honours the clock tolerance at both ends of the validity period", async () => {
    expect((await verifyCredential(good, f.trust, at("2027-02-28T23:59:30Z"))).valid).toBe(true);
    expectCode(await verifyCredential(good, f.trust, at("2027-02-28T23:58:00Z")), "ERR_NOT_YET_VALID");
    expect((await verifyCredential(good, f.trust, at("2027-04-01T00:00:30Z"))).valid).toBe(true);
    expectCode(await verifyCredential(good, f.trust, at("2027-04-01T00:01:00Z")), "ERR_EXPIRED");
    expectCode(await verifyCredential(good, f.trust, at("2027-04-01T00:00:00Z", { clockToleranceSeconds: 0 })), "ERR_EXPIRED");
  });

  it("accepts a did:key issuer trusted by its DID alone", async () => {
    const local = await generateKeyPair();
    const jwt = await signCredential(sampleInput(local.did), local);
    const trust = trustListOf({ did: local.did, name: "Local test issuer" });
    expect((await verifyCredential(jwt, trust, at(NOW))).valid).toBe(true);
  });
});

/**
 * The tamper matrix: every failure the issue lists, produced for real and rejected with its own
 * code. Each row builds a token (or presentation) and the options to check it with.
 */
type Case = { name: string; code: VerificationErrorCode; run: () => Promise<VerificationResult> };

function tamperPayload(jwt: string, edit: (p: Record<string, unknown>) => void): string {
  const [h, p, s] = jwt.split(".") as [string, string, string];
  const payload = JSON.parse(Buffer.from(p, "base64url").toString());
  edit(payload);
  return `${h}.${b64url(JSON.stringify(payload))}.${s}`;
}

const credentialCases = (): Case[] => {
  const v = (jwt: string | Promise<string>, opts: VerifyCredentialOptions = at(NOW)) => async () => verifyCredential(await jwt, f.trust, opts);
  const payload = () => buildEntitlementPayload(input) as unknown as Record<string, unknown>;
  const withSubject = (edit: (s: Record<string, unknown>) => void) => {
    const p = payload();
    edit((p.vc as { credentialSubject: Record<string, unknown> }).credentialSubject);
    return p;
  };
  const [h, p] = good.split(".") as [string, string];
  return [
    { name: "empty string", code: "ERR_MALFORMED", run: v("") },
    { name: "random text", code: "ERR_MALFORMED", run: v("HC1:NCFOXN%TS3DH") },
    { name: "two segments", code: "ERR_MALFORMED", run: v(`${h}.${p}`) },
    { name: "four segments", code: "ERR_MALFORMED", run: v(`${good}.x`) },
    { name: "truncated in the payload", code: "ERR_MALFORMED", run: v(`${h}.${p.slice(0, 100)}.${good.split(".")[2]}`) },
    { name: "header is not JSON", code: "ERR_MALFORMED", run: v(`${b64url("{alg")}.${p}.sig`) },
    { name: "payload is a JSON array", code: "ERR_MALFORMED", run: v(`${h}.${b64url("[1,2]")}.sig`) },
    { name: "non-base64url characters", code: "ERR_MALFORMED", run: v(`${h}.${p}+/.${good.split(".")[2]}`) },
    { name: "not a string", code: "ERR_MALFORMED", run: () => verifyCredential(42 as unknown as string, f.trust, at(NOW)) },
    { name: "no issuer claim", code: "ERR_MALFORMED", run: v(signRaw({ ...payload(), iss: undefined }, f.issuer)) },
    { name: 'alg "none" (unsigned)', code: "ERR_ALG_UNSUPPORTED", run: v(`${b64url('{"alg":"none","typ":"JWT"}')}.${p}.`) },
    {
      name: "alg HS256 with the public key as secret",
      code: "ERR_ALG_UNSUPPORTED",
      run: v(new SignJWT(payload()).setProtectedHeader({ alg: "HS256", kid: f.issuer.kid }).sign(Buffer.from(f.issuer.publicJwk.x))),
    },
    {
      name: "alg ES256",
      code: "ERR_ALG_UNSUPPORTED",
      run: v(joseGenerateKeyPair("ES256").then((k) => new SignJWT(payload()).setProtectedHeader({ alg: "ES256", kid: f.issuer.kid }).sign(k.privateKey))),
    },
    { name: "unknown critical header", code: "ERR_ALG_UNSUPPORTED", run: v(signManual({ alg: "EdDSA", kid: f.issuer.kid, crit: ["exp-ext"], "exp-ext": 1 }, payload(), f.issuer.privateKey)) },
    { name: "unknown issuer (did:key not in the list)", code: "ERR_ISSUER_UNTRUSTED", run: v(generateKeyPair().then((k) => signCredential(sampleInput(k.did), k))) },
    {
      name: "trusted issuer DID, key id not in the list",
      code: "ERR_ISSUER_UNTRUSTED",
      run: v(generateKeyPair().then((k) => signCredential(input, withIdentifier(k, ISSUER_DID, "key-9")))),
    },
    {
      name: "kid of another DID",
      code: "ERR_ISSUER_UNTRUSTED",
      run: v(signRaw(payload(), { privateKey: f.issuer.privateKey, kid: "did:web:evil.example#key-1" })),
    },
    {
      name: "issuer not trusted for this programme",
      code: "ERR_ISSUER_UNTRUSTED",
      run: async () =>
        verifyCredential(
          good,
          trustListOf({ did: ISSUER_DID, name: "Ministry", keys: [{ id: "key-1", publicKeyJwk: f.issuer.publicJwk }], programmes: ["food-aid"] }),
          at(NOW),
        ),
    },
    {
      name: "amount raised after signing",
      code: "ERR_SIGNATURE_INVALID",
      run: v(tamperPayload(good, (q) => ((q.vc as { credentialSubject: { benefit: { amount: number } } }).credentialSubject.benefit.amount = 25000))),
    },
    {
      name: "validity extended after signing",
      code: "ERR_SIGNATURE_INVALID",
      run: v(tamperPayload(good, (q) => (q.exp = (q.exp as number) + 86400 * 365))),
    },
    { name: "signature byte flipped", code: "ERR_SIGNATURE_INVALID", run: v(good.slice(0, -5) + (good.at(-5) === "A" ? "B" : "A") + good.slice(-4)) },
    { name: "signature truncated", code: "ERR_SIGNATURE_INVALID", run: v(good.slice(0, -10)) },
    {
      name: "trusted kid, signed with another key",
      code: "ERR_SIGNATURE_INVALID",
      run: v(generateKeyPair().then((k) => signCredential(input, { kid: f.issuer.kid, privateKey: k.privateKey }))),
    },
    {
      name: "a status list credential signed by the trusted issuer",
      code: "ERR_WRONG_TYPE",
      run: v(signRaw({ ...payload(), vc: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiableCredential", "BitstringStatusListCredential"], credentialSubject: { encodedList: "uH4sI" } } }, f.issuer)),
    },
    { name: "a plain JWT with no vc claim", code: "ERR_WRONG_TYPE", run: v(signRaw({ iss: ISSUER_DID, sub: "x", exp: 1900000000 }, f.issuer)) },
    { name: "national ID added to the subject", code: "ERR_SCHEMA_VIOLATION", run: v(signRaw(withSubject((s) => (s.nationalId = "12345678")), f.issuer)) },
    {
      name: "lower-case currency",
      code: "ERR_SCHEMA_VIOLATION",
      run: v(signRaw(withSubject((s) => (s.benefit = { type: "Cash", amount: 10, currency: "kes" })), f.issuer)),
    },
    {
      name: "only a revocation entry",
      code: "ERR_SCHEMA_VIOLATION",
      run: v(
        signRaw(
          (() => {
            const q = payload();
            const vc = q.vc as { credentialStatus: unknown[] };
            vc.credentialStatus = vc.credentialStatus.slice(0, 1);
            return q;
          })(),
          f.issuer,
        ),
      ),
    },
    { name: "holder is a did:web", code: "ERR_SCHEMA_VIOLATION", run: v(signRaw({ ...payload(), sub: "did:web:someone.example" }, f.issuer)) },
    { name: "before validFrom", code: "ERR_NOT_YET_VALID", run: v(good, at("2027-02-20T00:00:00Z")) },
    { name: "after validUntil", code: "ERR_EXPIRED", run: v(good, at("2027-04-02T00:00:00Z")) },
    { name: "revoked", code: "ERR_REVOKED", run: v(good, at(NOW, { status: statusLookup({ revocation: true, suspension: false }) })) },
    { name: "revoked and suspended: revocation wins", code: "ERR_REVOKED", run: v(good, at(NOW, { status: statusLookup({ revocation: true, suspension: true }) })) },
    {
      name: "suspended, revocation list not cached, status required",
      code: "ERR_SUSPENDED",
      run: v(good, at(NOW, { status: statusLookup({ revocation: undefined, suspension: true }), requireStatus: true })),
    },
    { name: "suspended", code: "ERR_SUSPENDED", run: v(good, at(NOW, { status: statusLookup({ revocation: false, suspension: true }) })) },
    { name: "status list not cached, status required", code: "ERR_STATUS_UNAVAILABLE", run: v(good, at(NOW, { status: () => undefined, requireStatus: true })) },
    {
      name: "status lookup throws, status required",
      code: "ERR_STATUS_UNAVAILABLE",
      run: v(good, at(NOW, { status: () => { throw new Error("IndexedDB closed"); }, requireStatus: true })),
    },
    { name: "no status lookup at all, status required", code: "ERR_STATUS_UNAVAILABLE", run: v(good, at(NOW, { requireStatus: true })) },
    { name: "holder-bound card shown bare, holder proof required", code: "ERR_HOLDER_PROOF_REQUIRED", run: v(good, at(NOW, { requireHolderProof: true })) },
  ];
};

const presentationCases = (): Case[] => {
  const vp = async (opts: Parameters<typeof signPresentation>[2] = {}, key: HakiKeyPair = f.holder, vc: string = good) =>
    signPresentation(vc, key, { now: NOW, ...opts });
  return [
    {
      name: "presentation signed by another phone (claims the holder DID)",
      code: "ERR_SIGNATURE_INVALID",
      run: async () => {
        const thief = await generateKeyPair();
        return verifyPresentation(await vp({}, { ...thief, kid: f.holder.kid, did: f.holder.did }), f.trust, { now: NOW });
      },
    },
    {
      name: "another phone presents someone else's card",
      code: "ERR_HOLDER_BINDING",
      run: async () => {
        const thief = await generateKeyPair();
        const forged = await signRaw(
          { iss: thief.did, jti: "abcdefgh12345678", iat: Math.floor(NOW.getTime() / 1000), vp: { "@context": ["https://www.w3.org/2018/credentials/v1"], type: ["VerifiablePresentation"], verifiableCredential: [good] } },
          thief,
        );
        return verifyPresentation(forged, f.trust, { now: NOW });
      },
    },
    {
      name: "paper card wrapped in a presentation",
      code: "ERR_HOLDER_BINDING",
      run: async () => verifyPresentation(await vp({}, f.holder, await signCredential(sampleInput(f.issuer.did), f.issuer)), f.trust, { now: NOW }),
    },
    {
      name: "presentation older than the allowed age",
      code: "ERR_PRESENTATION_STALE",
      run: async () => verifyPresentation(await vp(), f.trust, { now: new Date(NOW.getTime() + 10 * 60_000), maxAgeSeconds: 120 }),
    },
    {
      name: "presentation dated in the future",
      code: "ERR_PRESENTATION_STALE",
      run: async () => verifyPresentation(await vp({ now: new Date(NOW.getTime() + 3_600_000) }), f.trust, { now: NOW }),
    },
    {
      name: "presentation scanned twice",
      code: "ERR_PRESENTATION_REPLAYED",
      run: async () => {
        const seen = new Set<string>();
        const token = await vp();
        const first = await verifyPresentation(token, f.trust, { now: NOW, isReplay: (id) => seen.has(id) });
        if (!first.valid) throw new Error(first.code);
        seen.add(first.presentation.id);
        return verifyPresentation(token, f.trust, { now: NOW, isReplay: (id) => seen.has(id) });
      },
    },
    { name: "wrong nonce", code: "ERR_NONCE_MISMATCH", run: async () => verifyPresentation(await vp({ nonce: "n-1" }), f.trust, { now: NOW, nonce: "n-2" }) },
    {
      name: "credential inside a valid presentation is revoked",
      code: "ERR_REVOKED",
      run: async () => verifyPresentation(await vp(), f.trust, { now: NOW, status: statusLookup({ revocation: true }) }),
    },
  ];
};

describe("tamper matrix", () => {
  it.each(credentialCases().map((c) => [c.name, c] as const))("credential: %s", async (_name, c) => {
    expectCode(await c.run(), c.code);
  });
  it.each(presentationCases().map((c) => [c.name, c] as const))("presentation: %s", async (_name, c) => {
    expectCode(await c.run(), c.code);
  });
  it("produces every verification error code", () => {
    const covered = new Set([...credentialCases(), ...presentationCases()].map((c) => c.code));
    // ERR_MALFORMED etc. are in the credential rows; the presentation rows add the rest.
    expect([...VERIFICATION_ERROR_CODES].filter((c) => !covered.has(c))).toEqual([]);
  });
});
