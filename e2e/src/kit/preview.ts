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
 * Starts `vite preview` for `app` ("wallet" or "verifier", built already) and resolves once it answers.
 *
 * @example
 * const wallet = await servePreview("wallet", 4101); // wallet.url === "http://localhost:4101/"
 * await wallet.stop();
 */
export function servePreview(app: string, port: number): Promise<Preview> {
  const child: ChildProcess = spawn(join(ROOT, app, "node_modules/.bin/vite"), ["preview", "--host", "localhost", "--port", String(port), "--strictPort"], {
    cwd: join(ROOT, app),
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: "true" },
  });
  const stop = () =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  return new Promise((ready, fail) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes(`:${port}`)) ready({ url: `http://localhost:${port}/`, stop });
    });
    child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    child.on("exit", (code) => fail(new Error(`vite preview for ${app} ended (${code}): ${out.slice(-300)}`)));
  });
}
