import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile, stat, writeFile } from "node:fs/promises";
import { parseTrustList } from "@haki/credentials/trust";
import { KeyFile } from "../files";
import { run, tempDir } from "../../test/harness";

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir();
});
afterAll(() => tmp.remove());

describe("haki (no command, help, unknown)", () => {
  it("prints usage on stderr and exits 2 without a command", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Usage: haki <command>");
  });

  it("prints help on stdout and exits 0", async () => {
    for (const argv of [["help"], ["--help"], ["verify", "--help"], ["status", "--help"], ["keys", "--help"], ["issue", "-h"]]) {
      const r = await run(argv);
      expect(r.code, argv.join(" ")).toBe(0);
      expect(r.stdout).toMatch(/Usage/);
    }
  });

  it("refuses an unknown command with exit 2", async () => {
    const r = await run(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
  });
});

describe("haki keys new", () => {
  it("writes a did:key key file readable only by its owner and prints the public part", async () => {
    const out = tmp.path("k1.json");
    const r = await run(["keys", "new", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.json.did).toMatch(/^did:key:z6Mk/);
    expect(r.json).not.toHaveProperty("privateJwk");
    const file = KeyFile.parse(JSON.parse(await readFile(out, "utf8")));
    expect(file.did).toBe(r.json.did);
    expect(file.kid).toBe(`${file.did}#${file.did.slice(8)}`);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  });

  it("names the key by did:web with key-1 and prints the DID document to publish", async () => {
    const r = await run(["keys", "new", "--did-web", "issuer.example", "--out", tmp.path("web.json")]);
    expect(r.code).toBe(0);
    expect(r.json.did).toBe("did:web:issuer.example");
    expect(r.json.kid).toBe("did:web:issuer.example#key-1");
    expect(r.json.publishAt).toBe("https://issuer.example/.well-known/did.json");
    expect((r.json.didDocument as { assertionMethod: string[] }).assertionMethod).toEqual(["did:web:issuer.example#key-1"]);
    const path = await run(["keys", "new", "--did-web", "did:web:example.org:programmes:cash", "--out", tmp.path("web2.json")]);
    expect(path.json.publishAt).toBe("https://example.org/programmes/cash/did.json");
  });

  it("names the key by did:jwk on request", async () => {
    const r = await run(["keys", "new", "--did-jwk", "--out", tmp.path("jwk.json")]);
    expect(r.code).toBe(0);
    expect(r.json.did).toMatch(/^did:jwk:/);
  });

  it("refuses to replace a key file unless --force", async () => {
    const out = tmp.path("keep.json");
    expect((await run(["keys", "new", "--out", out])).code).toBe(0);
    const before = await readFile(out, "utf8");
    const again = await run(["keys", "new", "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("already exists");
    expect(await readFile(out, "utf8")).toBe(before);
    expect((await run(["keys", "new", "--out", out, "--force"])).code).toBe(0);
    expect(await readFile(out, "utf8")).not.toBe(before);
  });

  it.each([
    [["keys", "new"], "--out is required"],
    [["keys", "new", "--out", "x.json", "--did-web", "not a domain"], "domain"],
    [["keys", "new", "--out", "x.json", "--did-web", "nodots"], "domain"],
    [["keys", "new", "--out", "x.json", "--did-web", "a.org", "--did-jwk"], "Choose one"],
    [["keys", "rotate"], "Unknown command"],
    [["keys", "new", "--out", "x.json", "--colour", "red"], "Unknown option"],
    [["keys"], "Usage"],
  ])("exits 2 for bad usage: %j", async (argv, message) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("exits 2 when the key file cannot be written", async () => {
    const r = await run(["keys", "new", "--out", tmp.path("no/such/folder/k.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Cannot write");
  });
});

describe("haki trust new", () => {
  it("prints a trust list that accepts the key, optionally for some programmes only", async () => {
    const key = tmp.path("trust-issuer.json");
    await run(["keys", "new", "--did-web", "issuer.example", "--out", key]);
    const r = await run(["trust", "new", "--key", key, "--name", "Ministry of Social Protection", "--programme", "cash-transfer", "--programme", "food"]);
    expect(r.code).toBe(0);
    const trust = parseTrustList(r.json);
    expect(trust.issuers[0]?.did).toBe("did:web:issuer.example");
    expect(trust.issuers[0]?.keys[0]?.id).toBe("did:web:issuer.example#key-1");
    expect(trust.issuers[0]?.programmes).toEqual(["cash-transfer", "food"]);
    expect(JSON.stringify(r.json)).not.toContain('"d"');
    const file = tmp.path("trust.json");
    expect((await run(["trust", "new", "--key", key, "--name", "M", "--out", file])).code).toBe(0);
    expect(parseTrustList(JSON.parse(await readFile(file, "utf8"))).issuers).toHaveLength(1);
  });

  it("adds issuers to an existing trust list, replacing an issuer's old entry", async () => {
    const a = tmp.path("add-a.json");
    const b = tmp.path("add-b.json");
    await run(["keys", "new", "--did-web", "a.example", "--out", a]);
    await run(["keys", "new", "--out", b]);
    const file = tmp.path("multi-trust.json");
    await run(["trust", "new", "--key", a, "--name", "A", "--out", file]);
    const r = await run(["trust", "add", "--trust", file, "--key", b, "--name", "B"]);
    expect(r.code).toBe(0);
    expect(parseTrustList(JSON.parse(await readFile(file, "utf8"))).issuers.map((i) => i.name)).toEqual(["A", "B"]);
    await run(["trust", "add", "--trust", file, "--key", a, "--name", "A renamed"]);
    expect(parseTrustList(JSON.parse(await readFile(file, "utf8"))).issuers.map((i) => i.name)).toEqual(["B", "A renamed"]);
    expect((await run(["trust", "add", "--key", a, "--name", "A"])).code).toBe(2);
    const broken = tmp.path("broken-trust.json");
    await writeFile(broken, "[]");
    expect((await run(["trust", "add", "--trust", broken, "--key", a, "--name", "A"])).code).toBe(2);
    expect(await readFile(broken, "utf8")).toBe("[]");
  });

  it("exits 2 without a name, for a holder-only did:jwk key, and for a malformed key file", async () => {
    const key = tmp.path("t2.json");
    await run(["keys", "new", "--out", key]);
    expect((await run(["trust", "new", "--key", key])).code).toBe(2);
    const jwk = tmp.path("t-jwk.json");
    await run(["keys", "new", "--did-jwk", "--out", jwk]);
    const r = await run(["trust", "new", "--key", jwk, "--name", "X"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot issue");
    const own = JSON.parse(await readFile(key, "utf8")) as Record<string, unknown>;
    const foreignKid = tmp.path("foreign-kid.json");
    await writeFile(foreignKid, JSON.stringify({ ...own, kid: "did:web:other.example#key-1" }));
    const f = await run(["trust", "new", "--key", foreignKid, "--name", "X"]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain("the key id must belong to the DID");
    const bad = tmp.path("bad-key.json");
    await writeFile(bad, JSON.stringify({ type: "HakiKeyFile", did: "did:key:z6Mk" }));
    const b = await run(["trust", "new", "--key", bad, "--name", "X"]);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain("not a valid Haki key file");
  });
});
