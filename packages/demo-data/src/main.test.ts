import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { writeSyntheticRegistryCsv } from "./csv";

const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));
const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "demo-data-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [main, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("CLI", () => {
  it("writes the same file and bad-row manifest as the library", { timeout: 60_000 }, async () => {
    const out = join(dir, "r.csv");
    const manifest = join(dir, "bad.json");
    const r = await run(["--households", "40", "--seed", "4", "--rows", "person", "--malformed", "--manifest", manifest, "--out", out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^40 households, \d+ rows \(5 bad on purpose\)/);
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(c: Buffer, _e, done) {
        chunks.push(c);
        done();
      },
    });
    const summary = await writeSyntheticRegistryCsv({ households: 40, seed: 4 }, sink, { rows: "person", malformed: true, malformedSeed: 4 });
    expect(readFileSync(out, "utf8")).toBe(Buffer.concat(chunks).toString("utf8"));
    expect(JSON.parse(readFileSync(manifest, "utf8"))).toEqual(summary.malformed);
  });

  it("says what is wrong and exits 2 on bad arguments", { timeout: 60_000 }, async () => {
    const mix = await run(["--households", "5", "--mix", "XX=1"]);
    expect(mix.code).toBe(2);
    expect(mix.stderr).toContain('--mix: "XX=1"');
    expect(mix.stderr).toContain("Usage:");
    const negative = await run(["--households", "-5"]);
    expect(negative.code).toBe(2);
    expect(negative.stdout).toBe("");
  });
});
