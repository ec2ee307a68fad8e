import { pwaServiceWorker } from "@haki/pwa/vite";
import preact from "@preact/preset-vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [preact(), pwaServiceWorker({ entry: "src/sw/sw.ts" })],
  server: { port: 3001, strictPort: true },
  preview: { port: 3001, strictPort: true },
  // The manifest tells scripts/bundle-size.ts which chunks the first load needs.
  build: { target: "es2022", sourcemap: false, reportCompressedSize: false, manifest: true },
});
