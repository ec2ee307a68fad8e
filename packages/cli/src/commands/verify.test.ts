import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodeProof } from "@haki/qr/codec";
import { NOW, REVOCATION_URL, SUSPENSION_URL, expectVerified, issue, makeWorld, run, type World } from "../../test/harness";

let w: World;
let card: { file: string; text: string };
beforeAll(async () => {
  w = await makeWorld();
  card = await issue(w, "card.jwt");
});
afterAll(() => w.tmp.remove());

/** A status folder with a revocation and a suspension list, with `revoke` / `suspend` indexes set. */
async function statusDir(name: string, options: { revoke?: number[]; suspend?: number[]; key?: string; now?: Date } = {}): Promise<string> {
  const dir = w.tmp.path(name);
  await mkdir(dir);
  const key = options.key ?? w.issuerKey;
  const now = options.now ?? NOW;
  for (const [purpose, url, indexes, action] of [
    ["revocation", REVOCATION_URL, options.revoke ?? [], "revoke"],
    ["suspension", SUSPENSION_URL, options.suspend ?? [], "suspend"],
  ] as const) {
    const list = join(dir, `${purpose}.json`);
    expect((await run(["status", "new", "--list", list, "--url", url, "--purpose", purpose], { now })).code).toBe(0);
    for (const i of indexes) expect((await run(["status", action, "--list", list, "--index", String(i)], { now })).code).toBe(0);
    expect((await run(["status", "sign", "--list", list, "--key", key], { now })).code).toBe(0);
  }
  return dir;
}

describe("haki verify: valid input (exit 0)", () => {
  it("verifies a VC-JWT file and prints the result as JSON", async () => {
    const r = await run(["verify", card.file, "--trust", w.trust]);
    expectVerified(r, {
      kind: "credential",
      format: "jwt",
      issuer: { did: "did:web:issuer.example", name: "Ministry" },
      holderBinding: "none",
      status: { revocation: "unchecked", suspension: "unchecked" },
      validUntil: "2027-04-01T00:00:00.000Z",
      subject: { beneficiary: "BEN-7Q2X9K", name: "Amina Wanjiru", benefit: { type: "Cash", amount: 2500, currency: "KES" } },
    });
  });

  it("reads standard input (- or no file), trimming whitespace", async () => {
    expect((await run(["verify", "-", "--trust", w.trust], { stdin: `\n${card.text}\n\n` })).code).toBe(0);
    expect((await run(["verify", "--trust", w.trust], { stdin: card.text })).code).toBe(0);
  });

  it("verifies a Haki QR payload", async () => {
    const qr = await issue(w, "card.qr", {}, true);
    const r = await run(["verify", qr.file, "--trust", w.trust]);
    expectVerified(r, { kind: "credential", format: "qr" });
  });

  it("verifies a QR payload that names its issuer by reference to the trust list, and says so when the list lacks it", async () => {
    const short = encodeProof(card.text, { issuers: ["did:web:issuer.example"] });
    expect(short.length).toBeLessThan(encodeProof(card.text).length);
    const r = await run(["verify", "--trust", w.trust], { stdin: short });
    expectVerified(r, { kind: "credential", format: "qr" });

    const otherKey = w.tmp.path("ref-other-issuer.json");
    await run(["keys", "new", "--did-web", "other.example", "--out", otherKey]);
    const otherTrust = w.tmp.path("ref-other-trust.json");
    await run(["trust", "new", "--key", otherKey, "--name", "Other", "--out", otherTrust]);
    const unknown = await run(["verify", "--trust", otherTrust], { stdin: short });
    expect(unknown.code).toBe(1);
    expect(unknown.json.code).toBe("ERR_QR_UNKNOWN_ISSUER");
  });

  it("verifies a presentation (JWT and QR) and reports the proven holder", async () => {
    const bound = await issue(w, "bound.jwt", { holder: w.holderDid });
    for (const qr of [false, true]) {
      const vp = await run(["present", "--key", w.holderKey, "--credential", bound.file, ...(qr ? ["--qr"] : [])]);
      const r = await run(["verify", "--trust", w.trust], { stdin: vp.stdout });
      expectVerified(r, { kind: "presentation", holder: w.holderDid, holderBinding: "verified" });
      expect((r.json.presentation as { createdAt: string }).createdAt).toBe(NOW.toISOString());
    }
  });

  it("checks status against signed lists in --status-dir", async () => {
    const dir = await statusDir("status-clear", { revoke: [3], suspend: [8] });
    const r = await run(["verify", card.file, "--trust", w.trust, "--status-dir", dir]);
    expect(r.code).toBe(0);
    expect(r.json.status).toEqual({ revocation: "ok", suspension: "ok" });
  });
});

describe("haki verify: invalid input (exit 1)", () => {
  it("reports a revoked credential", async () => {
    const dir = await statusDir("status-revoked", { revoke: [7] });
    const r = await run(["verify", card.file, "--trust", w.trust, "--status-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ valid: false, code: "ERR_REVOKED", reason: "This card was cancelled." });
  });

  it("reports a suspended credential, and accepts it again once reinstated", async () => {
    const dir = await statusDir("status-suspended", { suspend: [7] });
    expect((await run(["verify", card.file, "--trust", w.trust, "--status-dir", dir])).json.code).toBe("ERR_SUSPENDED");
    const list = join(dir, "suspension.json");
    expect((await run(["status", "reinstate", "--list", list, "--index", "7", "--key", w.issuerKey, "--sign"])).code).toBe(0);
    expect((await run(["verify", card.file, "--trust", w.trust, "--status-dir", dir])).code).toBe(0);
  });

  it("reports ERR_STATUS_UNAVAILABLE when --status-dir lacks the credential's lists", async () => {
    const dir = w.tmp.path("status-empty");
    await mkdir(dir);
    const r = await run(["verify", card.file, "--trust", w.trust, "--status-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.json.code).toBe("ERR_STATUS_UNAVAILABLE");
  });

  it("reports expiry and not-yet-valid with --now", async () => {
    const late = await run(["verify", card.file, "--trust", w.trust, "--now", "2027-04-02T00:00:00Z"]);
    expect(late.code).toBe(1);
    expect(late.json.code).toBe("ERR_EXPIRED");
    const early = await run(["verify", card.file, "--trust", w.trust, "--now", "2027-02-01"]);
    expect(early.json.code).toBe("ERR_NOT_YET_VALID");
  });

  it("reports a tampered credential, an untrusted issuer and a credential outside the trusted programmes", async () => {
    const [h, p, s] = card.text.split(".");
    const claims = JSON.parse(Buffer.from(p ?? "", "base64url").toString()) as { vc: { credentialSubject: { benefit: { amount: number } } } };
    claims.vc.credentialSubject.benefit.amount = 30000;
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`;
    expect((await run(["verify", "--trust", w.trust], { stdin: forged })).json.code).toBe("ERR_SIGNATURE_INVALID");

    const otherKey = w.tmp.path("other-issuer.json");
    await run(["keys", "new", "--did-web", "other.example", "--out", otherKey]);
    const otherTrust = w.tmp.path("other-trust.json");
    await run(["trust", "new", "--key", otherKey, "--name", "Other", "--out", otherTrust]);
    const untrusted = await run(["verify", card.file, "--trust", otherTrust]);
    expect(untrusted.code).toBe(1);
    expect(untrusted.json.code).toBe("ERR_ISSUER_UNTRUSTED");

    const foodOnly = w.tmp.path("food-trust.json");
    await run(["trust", "new", "--key", w.issuerKey, "--name", "Ministry", "--programme", "food", "--out", foodOnly]);
    expect((await run(["verify", card.file, "--trust", foodOnly])).json.code).toBe("ERR_ISSUER_UNTRUSTED");
  });

  it("reports a stale presentation and a wrong nonce", async () => {
    const bound = await issue(w, "bound2.jwt", { holder: w.holderDid });
    const vp = (await run(["present", "--key", w.holderKey, "--credential", bound.file, "--nonce", "abc"])).stdout;
    const stale = await run(["verify", "--trust", w.trust, "--now", "2027-03-10T09:10:00Z"], { stdin: vp });
    expect(stale.json.code).toBe("ERR_PRESENTATION_STALE");
    expect((await run(["verify", "--trust", w.trust, "--now", "2027-03-10T09:10:00Z", "--max-age", "900"], { stdin: vp })).code).toBe(0);
    expect((await run(["verify", "--trust", w.trust, "--nonce", "xyz"], { stdin: vp })).json.code).toBe("ERR_NONCE_MISMATCH");
  });

  it("refuses a bare credential naming a holder with --require-holder-proof", async () => {
    const bound = await issue(w, "bound3.jwt", { holder: w.holderDid });
    expect((await run(["verify", bound.file, "--trust", w.trust])).json.holderBinding).toBe("required");
    const r = await run(["verify", bound.file, "--trust", w.trust, "--require-holder-proof"]);
    expect(r.json.code).toBe("ERR_HOLDER_PROOF_REQUIRED");
  });

  it.each([
    ["plain text", "hello world", "ERR_QR_NOT_HAKI"],
    ["a JSON document", '{"vc": {}}', "ERR_QR_NOT_HAKI"],
    ["three dots of garbage", "aaa.bbb.ccc", "ERR_MALFORMED"],
    ["a JWT whose payload is not JSON", "eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.c2ln", "ERR_MALFORMED"],
    ["a foreign QR code (EU DCC)", "HC1:6BFOXN%TS3DH0YOJ58S", "ERR_QR_NOT_HAKI"],
    ["a Haki QR payload of a future format", "HK9:ABCDEF", "ERR_QR_UNSUPPORTED_VERSION"],
    ["a damaged Haki QR payload", "HK1:%%%%%%%%", "ERR_QR_CORRUPT"],
  ])("reports malformed input: %s", async (_name, text, code) => {
    const r = await run(["verify", "--trust", w.trust], { stdin: text });
    expect(r.code).toBe(1);
    expect(r.json).toMatchObject({ valid: false, code });
  });

  it("reports a truncated QR payload", async () => {
    const qr = await issue(w, "cut.qr", {}, true);
    const r = await run(["verify", "--trust", w.trust], { stdin: qr.text.slice(0, qr.text.length - 10) });
    expect(r.code).toBe(1);
    expect(r.json.valid).toBe(false);
  });
});

describe("haki verify: bad usage (exit 2)", () => {
  it.each([
    [["verify", "card.jwt"], "--trust is required"],
    [["verify", "a", "b", "--trust", "t.json"], "Unexpected argument"],
    [["verify", "--trust", "t.json", "--colour"], "Unknown option"],
  ])("%j", async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("refuses a missing input file, empty input, a bad --now or --max-age", async () => {
    expect((await run(["verify", w.tmp.path("none.jwt"), "--trust", w.trust])).stderr).toContain("does not exist");
    expect((await run(["verify", "--trust", w.trust], { stdin: "  \n" })).code).toBe(2);
    expect((await run(["verify", card.file, "--trust", w.trust, "--now", "next tuesday"])).code).toBe(2);
    expect((await run(["verify", card.file, "--trust", w.trust, "--now", "2027-03-10T09:00:00"])).code).toBe(2); // no zone
    expect((await run(["verify", card.file, "--trust", w.trust, "--max-age", "-5"])).code).toBe(2);
  });

  it("refuses a missing, non-JSON or invalid trust list", async () => {
    expect((await run(["verify", card.file, "--trust", w.tmp.path("nothing.json")])).code).toBe(2);
    const notJson = await w.tmp.write("trust-broken.json", "issuers: []");
    expect((await run(["verify", card.file, "--trust", notJson])).code).toBe(2);
    const invalid = await w.tmp.write("trust-invalid.json", JSON.stringify({ issuers: [{ did: "did:web:x.example", name: "X" }], updatedAt: NOW.toISOString() }));
    const r = await run(["verify", card.file, "--trust", invalid]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("not a valid trust list");
  });

  it("refuses a status folder that is missing, or holds a list that is untrusted, altered or expired", async () => {
    expect((await run(["verify", card.file, "--trust", w.trust, "--status-dir", w.tmp.path("no-dir")])).code).toBe(2);

    const otherKey = w.tmp.path("rogue-key.json");
    await run(["keys", "new", "--did-web", "rogue.example", "--out", otherKey]);
    const rogue = await statusDir("status-rogue", { key: otherKey });
    const r1 = await run(["verify", card.file, "--trust", w.trust, "--status-dir", rogue]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain("which the trust list does not hold");

    const altered = await statusDir("status-altered", { revoke: [7] });
    const jwtPath = join(altered, "revocation.jwt");
    const [h, p, s] = (await readFile(jwtPath, "utf8")).trim().split(".");
    const clean = JSON.parse(await readFile(join(altered, "suspension.json"), "utf8")) as { encodedList: string };
    const claims = JSON.parse(Buffer.from(p ?? "", "base64url").toString()) as { vc: { credentialSubject: { encodedList: string } } };
    claims.vc.credentialSubject.encodedList = clean.encodedList; // un-revoke everyone
    await writeFile(jwtPath, `${h}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${s}`);
    const r2 = await run(["verify", card.file, "--trust", w.trust, "--status-dir", altered]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain("ERR_STATUS_LIST_SIGNATURE");

    const old = await statusDir("status-old", { now: new Date("2027-03-01T00:00:00Z") });
    const r3 = await run(["verify", card.file, "--trust", w.trust, "--status-dir", old]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain("ERR_STATUS_LIST_EXPIRED");

    const junk = w.tmp.path("status-junk");
    await mkdir(junk);
    await writeFile(join(junk, "list.jwt"), "not a jwt");
    expect((await run(["verify", card.file, "--trust", w.trust, "--status-dir", junk])).code).toBe(2);
  });
});
