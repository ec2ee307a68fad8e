import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFile, readdir } from "node:fs/promises";
import type { JWK } from "jose";
import { getStatus } from "@haki/status-list/bitstring";
import { verifyStatusListCredential } from "@haki/status-list/credential";
import { decodeStatusList } from "@haki/status-list/encoding";
import { StatusListFile } from "../files";
import { NOW, REVOCATION_URL, SUSPENSION_URL, makeWorld, run, type World } from "../../test/harness";

let w: World;
let n = 0;
beforeAll(async () => {
  w = await makeWorld();
});
afterAll(() => w.tmp.remove());

async function newList(purpose: "revocation" | "suspension", extra: string[] = []): Promise<string> {
  const list = w.tmp.path(`${purpose}-${++n}.json`);
  const r = await run(["status", "new", "--list", list, "--url", purpose === "revocation" ? REVOCATION_URL : SUSPENSION_URL, "--purpose", purpose, ...extra]);
  expect(r.code, r.stderr).toBe(0);
  return list;
}

async function bits(list: string): Promise<number[]> {
  const r = await run(["status", "show", "--list", list]);
  expect(r.code).toBe(0);
  const file = StatusListFile.parse(JSON.parse(await readFile(list, "utf8")));
  const decoded = decodeStatusList(file.encodedList);
  const set: number[] = [];
  for (const i of [0, 6, 7, 8, 131_071]) if (getStatus(decoded, i)) set.push(i);
  expect(r.json.setCount).toBe(set.length);
  return set;
}

describe("haki status new", () => {
  it("writes an empty list of 131,072 entries", async () => {
    const list = await newList("revocation");
    const file = StatusListFile.parse(JSON.parse(await readFile(list, "utf8")));
    expect(file).toMatchObject({ type: "HakiStatusList", url: REVOCATION_URL, purpose: "revocation", length: 131_072, updatedAt: NOW.toISOString() });
    expect(await bits(list)).toEqual([]);
  });

  it("takes a larger --length", async () => {
    const list = await newList("suspension", ["--length", "1000000"]);
    expect((await run(["status", "show", "--list", list])).json.length).toBe(1_000_000);
  });

  it.each([
    [["--purpose", "refresh"], "--purpose must be"],
    [["--length", "1000"], "at least 131072"],
    [["--length", "131073"], "multiple of 8"],
    [["--length", "lots"], "--length must be a whole number"],
  ])("exits 2 for %j", async (extra, message) => {
    const r = await run(["status", "new", "--list", w.tmp.path("x.json"), "--url", REVOCATION_URL, "--purpose", "revocation", ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it("exits 2 for a bad URL, a missing option, or an existing file (without --force)", async () => {
    expect((await run(["status", "new", "--list", w.tmp.path("y.json"), "--url", "ftp://x.example/l", "--purpose", "revocation"])).code).toBe(2);
    expect((await run(["status", "new", "--list", w.tmp.path("y.json"), "--url", "not a url", "--purpose", "revocation"])).code).toBe(2);
    expect((await run(["status", "new", "--url", REVOCATION_URL, "--purpose", "revocation"])).code).toBe(2);
    const list = await newList("revocation");
    await run(["status", "revoke", "--list", list, "--index", "6"]);
    const again = await run(["status", "new", "--list", list, "--url", REVOCATION_URL, "--purpose", "revocation"]);
    expect(again.code).toBe(2);
    expect(await bits(list)).toEqual([6]);
    expect((await run(["status", "new", "--list", list, "--url", REVOCATION_URL, "--purpose", "revocation", "--force"])).code).toBe(0);
    expect(await bits(list)).toEqual([]);
  });
});

describe("haki status revoke / suspend / reinstate", () => {
  it("revokes entries in a revocation list, reporting whether anything changed", async () => {
    const list = await newList("revocation");
    const first = await run(["status", "revoke", "--list", list, "--index", "7"]);
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ index: 7, status: "revoked", changed: true });
    expect((await run(["status", "revoke", "--list", list, "--index", "7"])).json.changed).toBe(false);
    await run(["status", "revoke", "--list", list, "--index", "131071"]);
    expect(await bits(list)).toEqual([7, 131_071]);
    expect((await run(["status", "show", "--list", list, "--index", "7"])).json.index).toEqual({ index: 7, set: true });
    expect((await run(["status", "show", "--list", list, "--index", "8"])).json.index).toEqual({ index: 8, set: false });
  });

  it("suspends and reinstates in a suspension list", async () => {
    const list = await newList("suspension");
    expect((await run(["status", "suspend", "--list", list, "--index", "0"])).json.status).toBe("suspended");
    expect(await bits(list)).toEqual([0]);
    expect((await run(["status", "reinstate", "--list", list, "--index", "0"])).json).toMatchObject({ status: "reinstated", changed: true });
    expect(await bits(list)).toEqual([]);
  });

  it("exits 2 when the action does not fit the list's purpose (a revocation cannot be undone)", async () => {
    const revocation = await newList("revocation");
    const suspension = await newList("suspension");
    await run(["status", "revoke", "--list", revocation, "--index", "7"]);
    const undo = await run(["status", "reinstate", "--list", revocation, "--index", "7"]);
    expect(undo.code).toBe(2);
    expect(undo.stderr).toContain("A revocation cannot be undone");
    expect(await bits(revocation)).toEqual([7]);
    expect((await run(["status", "suspend", "--list", revocation, "--index", "7"])).code).toBe(2);
    expect((await run(["status", "revoke", "--list", suspension, "--index", "7"])).code).toBe(2);
  });

  it("exits 2 for a missing or out-of-range index, and --sign without --key", async () => {
    const list = await newList("revocation");
    expect((await run(["status", "revoke", "--list", list])).stderr).toContain("--index is required");
    const out = await run(["status", "revoke", "--list", list, "--index", "131072"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain("not in this status list");
    expect((await run(["status", "revoke", "--list", list, "--index", "-1"])).code).toBe(2);
    expect((await run(["status", "revoke", "--list", list, "--index", "7", "--sign"])).stderr).toContain("--sign needs --key");
    expect((await run(["status", "revoke", "--list", list, "--index", "7", "--key", w.issuerKey])).code).toBe(2);
    expect((await run(["status", "show", "--list", list, "--index", "999999"])).code).toBe(2);
    expect(await bits(list)).toEqual([]);
  });

  it("exits 2 for an unknown or missing subcommand", async () => {
    expect((await run(["status", "delete"])).code).toBe(2);
    const none = await run(["status"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("haki status new");
  });
});

describe("malformed status list files (exit 1)", () => {
  it.each([
    ["not JSON", "{{"],
    ["the wrong type", JSON.stringify({ type: "Other" })],
    ["a bad purpose", "PURPOSE"],
    ["an encodedList that is not GZIP", "NOTGZIP"],
    ["a list too short for privacy", "SHORT"],
    ["a length that disagrees with the list", "LENGTH"],
  ])("%s", async (_name, kind) => {
    const good = JSON.parse(await readFile(await newList("revocation"), "utf8")) as Record<string, unknown>;
    const text =
      kind === "PURPOSE"
        ? JSON.stringify({ ...good, purpose: "refresh" })
        : kind === "NOTGZIP"
          ? JSON.stringify({ ...good, encodedList: "uAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
          : kind === "SHORT"
            ? JSON.stringify({ ...good, encodedList: "uH4sIAN7Lo2YC_2NgwAEAjw7P6RkAAAA", length: 200 })
            : kind === "LENGTH"
              ? JSON.stringify({ ...good, length: 8 })
              : kind;
    const list = await w.tmp.write(`broken-${++n}.json`, text);
    for (const argv of [
      ["status", "revoke", "--list", list, "--index", "1"],
      ["status", "show", "--list", list],
      ["status", "sign", "--list", list, "--key", w.issuerKey],
    ]) {
      const r = await run(argv);
      expect(r.code, `${argv[1]}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(list);
    }
    expect(await readFile(list, "utf8")).toBe(text);
  });

  it("a missing list file is bad usage (exit 2)", async () => {
    expect((await run(["status", "show", "--list", w.tmp.path("absent.json")])).code).toBe(2);
  });
});

describe("haki status sign", () => {
  it("writes a signed status list credential next to the list that verifies with the issuer key", async () => {
    const list = await newList("revocation");
    await run(["status", "revoke", "--list", list, "--index", "7"]);
    const r = await run(["status", "sign", "--list", list, "--key", w.issuerKey, "--valid-hours", "6", "--ttl-minutes", "30"]);
    expect(r.code).toBe(0);
    expect(r.json.signed).toBe(list.replace(/\.json$/, ".jwt"));
    const key = JSON.parse(await readFile(w.issuerKey, "utf8")) as { publicJwk: JWK };
    const jwt = (await readFile(String(r.json.signed), "utf8")).trim();
    const v = await verifyStatusListCredential(jwt, key.publicJwk, { now: NOW, issuer: "did:web:issuer.example", url: REVOCATION_URL, purpose: "revocation" });
    expect(getStatus(v.list, 7)).toBe(true);
    expect(v.validUntil).toEqual(new Date(NOW.getTime() + 6 * 3_600_000));
    expect(v.ttlMs).toBe(30 * 60_000);
  });

  it("signs after a change with --sign, to --out", async () => {
    const list = await newList("suspension");
    const out = w.tmp.path("published.jwt");
    const r = await run(["status", "suspend", "--list", list, "--index", "8", "--key", w.issuerKey, "--sign", "--out", out]);
    expect(r.code).toBe(0);
    expect(r.json.signed).toBe(out);
    expect((await readFile(out, "utf8")).split(".")).toHaveLength(3);
  });

  it("exits 2 without a key, with a malformed key, a holder did:jwk key, or a bad --valid-hours", async () => {
    const list = await newList("revocation");
    expect((await run(["status", "sign", "--list", list])).code).toBe(2);
    const badKey = await w.tmp.write("bad-key.json", JSON.stringify({ type: "HakiKeyFile" }));
    expect((await run(["status", "sign", "--list", list, "--key", badKey])).code).toBe(2);
    const jwk = w.tmp.path("jwk-key.json");
    await run(["keys", "new", "--did-jwk", "--out", jwk]);
    expect((await run(["status", "sign", "--list", list, "--key", jwk])).code).toBe(2);
    expect((await run(["status", "sign", "--list", list, "--key", w.issuerKey, "--valid-hours", "0"])).code).toBe(2);
  });

  it("replaces the list through a temporary file and leaves none behind", async () => {
    const list = await newList("revocation");
    await run(["status", "revoke", "--list", list, "--index", "6", "--key", w.issuerKey, "--sign"]);
    expect((await readdir(w.tmp.dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(await bits(list)).toEqual([6]);
  });
});
