import preact from "@preact/preset-vite";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { serviceWorkerPlugin } from "./build/service-worker-plugin";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  plugins: [preact(), serviceWorkerPlugin({ source: here("./src/sw/sw.ts"), publicDir: here("./public") })],
  server: { port: 3001, strictPort: true },
  preview: { port: 3001, strictPort: true },
  // The manifest tells scripts/bundle-size.ts which chunks the first load needs.
  build: { target: "es2022", sourcemap: false, reportCompressedSize: false, manifest: true },
});
