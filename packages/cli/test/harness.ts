/** Runs `main` in memory: captured stdout/stderr, given stdin, frozen clock, files in a temp folder. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { DEMO_SUBJECT } from "@haki/credentials/testing";
import { main } from "../src/cli";
import type { CliIo } from "../src/io";

export const NOW = new Date("2027-03-10T09:00:00Z");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON. */
  json: Record<string, unknown>;
}

export async function run(argv: string[], options: { stdin?: string; now?: Date } = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    readStdin: async () => options.stdin ?? "",
    now: () => options.now ?? NOW,
  };
  const code = await main(argv, io);
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    // not every command prints JSON
  }
  return { code, stdout, stderr, json };
}

/**
 * Asserts that a `haki verify` run accepted its input (exit 0, `valid: true`) and printed at least `expected`.
 *
 * @example
 * expectVerified(await run(["verify", file, "--trust", trust]), { kind: "credential", format: "qr" });
 */
export function expectVerified(r: Run, expected: Record<string, unknown> = {}): void {
  expect(r.code).toBe(0);
  expect(r.json).toMatchObject({ valid: true, ...expected });
}

export async function tempDir(): Promise<{ dir: string; path: (name: string) => string; write: (name: string, text: string) => Promise<string>; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "haki-cli-"));
  return {
    dir,
    path: (name) => join(dir, name),
    write: async (name, text) => {
      await writeFile(join(dir, name), text);
      return join(dir, name);
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export const REVOCATION_URL = "https://issuer.example/status/revocation/1";
export const SUSPENSION_URL = "https://issuer.example/status/suspension/1";

/** An EntitlementInput without issuer (the CLI fills it from the key): the demo subject of @haki/credentials/testing. */
export function entitlement(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: structuredClone(DEMO_SUBJECT),
    validFrom: "2027-03-01T00:00:00Z",
    validUntil: "2027-04-01T00:00:00Z",
    status: { revocationList: REVOCATION_URL, suspensionList: SUSPENSION_URL, index: 7 },
    ...overrides,
  };
}

export interface World {
  tmp: Awaited<ReturnType<typeof tempDir>>;
  issuerKey: string;
  holderKey: string;
  holderDid: string;
  trust: string;
}

/** An issuer (did:web) with its trust list, and a holder (did:key), in a fresh temp folder. */
export async function makeWorld(): Promise<World> {
  const tmp = await tempDir();
  const issuerKey = tmp.path("issuer-key.json");
  const holderKey = tmp.path("holder-key.json");
  const trust = tmp.path("trust.json");
  await run(["keys", "new", "--did-web", "issuer.example", "--out", issuerKey]);
  const holder = await run(["keys", "new", "--out", holderKey]);
  await run(["trust", "new", "--key", issuerKey, "--name", "Ministry", "--out", trust]);
  return { tmp, issuerKey, holderKey, holderDid: String(holder.json.did), trust };
}

/** Issues a credential through the CLI and writes it to a file; returns the file path and the JWT. */
export async function issue(world: World, name: string, overrides: Record<string, unknown> = {}, qr = false): Promise<{ file: string; text: string }> {
  const input = await world.tmp.write(`${name}.input.json`, JSON.stringify(entitlement(overrides)));
  const r = await run(["issue", "--key", world.issuerKey, "--input", input, ...(qr ? ["--qr"] : [])]);
  if (r.code !== 0) throw new Error(`issue failed: ${r.stderr}`);
  const text = r.stdout.trim();
  return { file: await world.tmp.write(name, text + "\n"), text };
}
