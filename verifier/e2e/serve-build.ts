/**
 * The verifier's production build served by `vite preview` inside the test's own process, on
 * 127.0.0.1 (the origin these stories enrol on), for the stories that stop the server themselves.
 * Built first unless `--no-build`: e2e/run.ts and scripts/test-e2e.sh build once and pass it.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * @example
 * const app = await serveVerifierBuild(3002, "verifier e2e"); // app.url === "http://127.0.0.1:3002/"
 * await app.stop(); // the host is gone: only the service worker answers
 */
export async function serveVerifierBuild(port: number, label: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const configFile = resolve(root, "vite.config.ts");
  if (!process.argv.includes("--no-build")) {
    console.log(`${label}: building`);
    await build({ root, logLevel: "warn", configFile });
  }
  const server = await preview({ root, configFile, preview: { host: "127.0.0.1", port, strictPort: true } });
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () => new Promise<void>((r) => server.httpServer.close(() => r())),
  };
}
