/**
 * The main job after install (`npm start` -> scripts/start.sh -> this): prepares the issuer's SQLite
 * database (migrate, console users, demo data), builds the three apps when their sources changed,
 * starts issuer, wallet and verifier on fixed localhost ports and prints the URLs and logins.
 * Ctrl-C stops all three. Re-running keeps the data.
 *
 *   tsx scripts/start-apps.ts [--data-dir .data] [--no-demo] [--no-build] [--build-only]
 *
 * The issuer's two secrets (key-encryption key, registry hash key) and the demo password are made
 * once into <data-dir>/demo.env (mode 0600) and read again on every run: the database stays
 * readable. The browser journey (e2e/) starts the apps through this script with its own data dir.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// HAKI_PORT_BASE moves all three (issuer = base, wallet = base + 1, verifier = base + 2), so two
// checkouts can run their browser tests side by side.
const PORT_BASE = Number(process.env.HAKI_PORT_BASE ?? 3000);
const PORTS = { issuer: PORT_BASE, wallet: PORT_BASE + 1, verifier: PORT_BASE + 2 } as const;
type App = keyof typeof PORTS;
const URLS: Record<App, string> = {
  issuer: `http://localhost:${PORTS.issuer}`,
  wallet: `http://localhost:${PORTS.wallet}`,
  verifier: `http://localhost:${PORTS.verifier}`,
};
const DEMO_USERS = ["admin@haki.local", "officer@haki.local", "approver@haki.local", "auditor@haki.local"];

interface Options {
  dataDir: string;
  demo: boolean;
  build: boolean;
  buildOnly: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { dataDir: resolve(ROOT, ".data"), demo: true, build: true, buildOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--data-dir" && argv[i + 1]) options.dataDir = resolve(argv[++i] as string);
    else if (a === "--no-demo") options.demo = false;
    else if (a === "--no-build") options.build = false;
    else if (a === "--build-only") options.buildOnly = true;
    else {
      console.error(`start-apps: unknown option ${a}\n  tsx scripts/start-apps.ts [--data-dir D] [--no-demo] [--no-build] [--build-only]`);
      process.exit(2);
    }
  }
  return options;
}

/** Reads <dir>/demo.env, making it first (random secrets) when it is not there. */
function loadDemoEnv(dir: string): Record<string, string> {
  const file = join(dir, "demo.env");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    const lines = [
      "# Made by scripts/start-apps.ts for the local demo. Keep it: the database is unreadable without it.",
      `HAKI_KEY_ENCRYPTION_KEY=${randomBytes(32).toString("base64")}`,
      `HAKI_REGISTRY_HASH_KEY=${randomBytes(32).toString("base64")}`,
      `HAKI_AUDIT_KEY=${randomBytes(32).toString("base64")}`,
      `HAKI_SEED_PASSWORD=demo-${randomBytes(9).toString("base64url")}`,
    ];
    writeFileSync(file, `${lines.join("\n")}\n`, { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) env[m[1] as string] = m[2] as string;
  }
  for (const k of ["HAKI_KEY_ENCRYPTION_KEY", "HAKI_REGISTRY_HASH_KEY", "HAKI_SEED_PASSWORD"]) {
    if (!env[k]) throw new Error(`${file} lacks ${k}: delete the file and the database next to it to start afresh`);
  }
  return env;
}

function issuerEnv(dataDir: string, demo: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...demo,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: `file:${join(dataDir, "haki.db")}`,
    HAKI_DATA_DIR: join(dataDir, "issuer"),
    HAKI_PUBLIC_URL: URLS.issuer,
    HAKI_WALLET_URL: `${URLS.wallet}/receive`,
    HAKI_ISSUER_NAME: process.env.HAKI_ISSUER_NAME ?? "Haki demo ministry",
  };
}

/** Runs a command to the end, output passed through; throws when it fails. */
function run(label: string, cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  console.log(`== ${label}`);
  const r = spawnSync(cmd, args, { cwd, env, stdio: "inherit" });
  if (r.status !== 0) throw new Error(`${label} failed (${cmd} ${args.join(" ")}: exit ${r.status ?? r.signal})`);
}

const bin = (app: string, name: string) => join(ROOT, app, "node_modules", ".bin", name);

/** The newest modification time under `dir` (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** What a build depends on: every source file's path, size and time (cheap, no reading). */
function fingerprint(app: App): string {
  const hash = createHash("sha256");
  // next-env.d.ts is rewritten by every `next build`.
  // Generated code follows packages/db/prisma, which is fingerprinted instead.
  const skip = new Set(["node_modules", ".next", "dist", "e2e", "bench", ".data", "test-results", "next-env.d.ts", "generated"]);
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (skip.has(entry.name)) continue;
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!/\.test\.tsx?$/.test(entry.name)) {
        const s = statSync(p);
        hash.update(`${relative(ROOT, p)}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(join(ROOT, app));
  for (const p of readdirSync(join(ROOT, "packages"))) {
    walk(join(ROOT, "packages", p, "src"));
    walk(join(ROOT, "packages", p, "messages"));
  }
  walk(join(ROOT, "packages", "db", "prisma"));
  hash.update(readFileSync(join(ROOT, "pnpm-lock.yaml")));
  return hash.digest("hex");
}

const stampFile = (app: App) => join(ROOT, "node_modules", ".cache", "haki-builds", `${app}.stamp`);
const buildOutput = (app: App) => (app === "issuer" ? join(ROOT, "issuer", ".next", "BUILD_ID") : join(ROOT, app, "dist", "index.html"));

/** Builds an app unless its last build saw the same sources (and its output is still there). */
function buildIfChanged(app: App, env: NodeJS.ProcessEnv): Promise<void> {
  const print = fingerprint(app);
  const stamp = stampFile(app);
  if (existsSync(buildOutput(app)) && existsSync(stamp) && readFileSync(stamp, "utf8") === print) {
    console.log(`== ${app}: build is up to date`);
    return Promise.resolve();
  }
  console.log(`== ${app}: building${app === "issuer" ? " (next build takes a few minutes on 2 cores)" : ""}`);
  const [cmd, args] = app === "issuer" ? [bin("issuer", "next"), ["build"]] : [bin(app, "vite"), ["build", "--logLevel", "warn"]];
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: join(ROOT, app), env, stdio: ["ignore", "pipe", "pipe"] });
    const out: string[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d.toString()));
    child.stderr.on("data", (d: Buffer) => out.push(d.toString()));
    child.on("error", fail);
    child.on("exit", (code) => {
      if (code !== 0) {
        process.stdout.write(out.join(""));
        fail(new Error(`${app}: build failed (exit ${code})`));
        return;
      }
      mkdirSync(dirname(stamp), { recursive: true });
      writeFileSync(stamp, print);
      console.log(`== ${app}: built`);
      done();
    });
  });
}

/** Starts one long-running app; its lines are prefixed with its name. */
function startApp(app: App, env: NodeJS.ProcessEnv): ChildProcess {
  const port = String(PORTS[app]);
  // The issuer's own server as `pnpm start` runs it (issuer/package.json): Next's custom server with
  // the wallets' routes answered without Next's router (src/server/cli/serve.ts), and a 64 MiB young
  // generation (less GC under load).
  const [cmd, args] =
    app === "issuer"
      ? [process.execPath, ["--max-semi-space-size=64", "--import", "tsx", "src/server/cli/serve.ts", "--port", port, "--hostname", "localhost"]]
      : [bin(app, "vite"), ["preview", "--host", "localhost", "--port", port, "--strictPort"]];
  const child = spawn(cmd, args, {
    cwd: join(ROOT, app),
    env: { ...env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const prefix = (d: Buffer) =>
    d
      .toString()
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => `[${app}] ${l}\n`)
      .join("");
  child.stdout?.on("data", (d: Buffer) => process.stdout.write(prefix(d)));
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(prefix(d)));
  return child;
}

/** Whether nothing listens on `port` yet (another `npm start` would answer our health checks). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "localhost", () => server.close(() => done(true)));
  });
}

async function waitUntilUp(app: App, signal: AbortSignal): Promise<void> {
  const url = app === "issuer" ? `${URLS.issuer}/api/health` : `${URLS[app]}/`;
  for (let i = 0; i < 600; i++) {
    if (signal.aborted) throw new Error(`${app} stopped`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${app} did not answer at ${url}`);
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  // A build needs no secrets (the issuer reads its configuration on first request).
  const demo = options.buildOnly ? {} : loadDemoEnv(options.dataDir);
  const env = issuerEnv(options.dataDir, demo);
  const issuerDir = join(ROOT, "issuer");
  const tsx = join(ROOT, "node_modules", ".bin", "tsx");

  const db = join(ROOT, "packages", "db");
  if (newestMtime(join(db, "prisma")) > newestMtime(join(db, "src", "generated"))) {
    run("database client (prisma generate)", "node", ["scripts/generate.mjs"], db, env);
  }
  if (options.build) {
    // The issuer's build is the slow one: the PWAs build beside it.
    await Promise.all((["issuer", "wallet", "verifier"] as const).map((app) => buildIfChanged(app, app === "issuer" ? env : process.env)));
  }
  if (options.buildOnly) return;

  run("database (migrate)", tsx, ["src/server/cli/migrate.ts"], issuerDir, env);
  run("console users", tsx, ["src/server/cli/seed.ts"], issuerDir, env);
  if (options.demo) {
    run("demo data (2,000 households, two programmes, issued cycles, a service point)", tsx, ["src/server/cli/seed-demo.ts"], issuerDir, env);
  }

  for (const app of ["issuer", "wallet", "verifier"] as const) {
    if (!(await portIsFree(PORTS[app]))) {
      throw new Error(`Port ${PORTS[app]} (${app}) is in use: is Haki already running? Stop it (Ctrl-C) and try again.`);
    }
  }
  const children = new Map<App, ChildProcess>();
  const stopping = new AbortController();
  // Each app runs in its own process group (next start and vite preview have children of their own).
  const signalGroups = (signal: NodeJS.Signals) => {
    for (const child of children.values()) {
      try {
        if (child.pid) process.kill(-child.pid, signal);
      } catch {
        // the whole group is gone
      }
    }
  };
  const running = () => [...children.values()].filter((c) => c.exitCode === null && c.signalCode === null).length;
  const stopAll = (code: number) => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    signalGroups("SIGTERM");
    // Exit once every app has stopped; what is left after 5 s (a loaded machine, a request that does
    // not end) is killed with its group, and so is any straggler of a group whose first process
    // ended: an app left behind keeps its port, and the next start (or test run) cannot bind it.
    const deadline = Date.now() + 5_000;
    const poll = setInterval(() => {
      if (running() > 0 && Date.now() < deadline) return;
      clearInterval(poll);
      signalGroups("SIGKILL");
      setTimeout(() => process.exit(code), 200);
    }, 100);
  };
  process.once("SIGINT", () => {
    console.log("\nStopping issuer, wallet and verifier...");
    stopAll(0);
  });
  process.once("SIGTERM", () => stopAll(0));

  for (const app of ["issuer", "wallet", "verifier"] as const) {
    const child = startApp(app, app === "issuer" ? env : process.env);
    children.set(app, child);
    child.on("exit", (code, signal) => {
      if (stopping.signal.aborted) return;
      console.error(`${app} stopped (${signal ?? `exit ${code}`}); stopping the others.`);
      stopAll(1);
    });
  }
  await Promise.all((["issuer", "wallet", "verifier"] as const).map((app) => waitUntilUp(app, stopping.signal)));

  console.log(`
Haki is running (Ctrl-C stops all three):
  issuer    ${URLS.issuer}    programme office console
  wallet    ${URLS.wallet}    beneficiary's phone
  verifier  ${URLS.verifier}    service point

Demo logins for the issuer (password for all: ${demo.HAKI_SEED_PASSWORD ?? ""}):
${DEMO_USERS.map((u) => `  ${u}`).join("\n")}
Data: ${options.dataDir} (secrets in ${join(options.dataDir, "demo.env")}; delete the folder to start afresh)
`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
