/**
 * An app's production build served as `npm start` serves it (`vite preview`, with its `Vary:
 * Origin`), on `localhost:<port>`, so a test or a benchmark can stop it (the server gone) or point
 * the browser's resolver away from it (the host unreachable).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));

export interface Preview {
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts `vite preview` for `app` ("wallet" or "verifier", built already) and resolves once it
 * answers over HTTP. Readiness is asked of the server, never read from its output: vite colours the
 * port in its banner whenever FORCE_COLOR is set (as CI runners set it), which once left this
 * waiting forever. Fails after `timeoutMs` with the server's last words.
 *
 * @example
 * const wallet = await servePreview("wallet", 4101); // wallet.url === "http://localhost:4101/"
 * await wallet.stop();
 */
export async function servePreview(app: string, port: number, timeoutMs = 60_000): Promise<Preview> {
  const { FORCE_COLOR: _colour, ...env } = process.env;
  const child: ChildProcess = spawn(join(ROOT, app, "node_modules/.bin/vite"), ["preview", "--host", "localhost", "--port", String(port), "--strictPort"], {
    cwd: join(ROOT, app),
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...env, NO_COLOR: "1", VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
  });
  const url = `http://localhost:${port}/`;
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-2_000)));
  child.stderr?.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-2_000)));
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  const ended = new Promise<never>((_, fail) => child.once("exit", (code) => fail(new Error(`vite preview for ${app} ended (${code}): ${out.slice(-300)}`))));
  ended.catch(() => undefined);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answered = await Promise.race([
      fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
        (res) => res.ok,
        () => false,
      ),
      ended,
    ]);
    if (answered) return { url, stop };
    await Promise.race([new Promise((r) => setTimeout(r, 200)), ended]);
  }
  await stop();
  throw new Error(`vite preview for ${app} did not answer on ${url} within ${timeoutMs} ms: ${out.slice(-300)}`);
}
