import { pwaServiceWorker } from "@haki/pwa/vite";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { renderIconPng } from "./scripts/icons";

/** The icons (drawn at build time) and the web manifest; the service worker precaches them. */
function manifestAndIcons(): Plugin {
  return {
    name: "haki-verifier-manifest",
    apply: "build",
    generateBundle() {
      for (const [name, size, maskable] of [
        ["icon-192.png", 192, false],
        ["icon-512.png", 512, false],
        ["icon-maskable-512.png", 512, true],
      ] as const) {
        this.emitFile({ type: "asset", fileName: name, source: renderIconPng(size, maskable) });
      }
      const manifest = {
        name: "Haki Verifier",
        short_name: "Haki Verifier",
        description: "Check entitlements offline and record hand-overs.",
        start_url: "./",
        scope: "./",
        display: "standalone",
        orientation: "portrait",
        background_color: "#ffffff",
        theme_color: "#0b7a2e",
        icons: [
          { src: "icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
        ],
      };
      this.emitFile({ type: "asset", fileName: "manifest.webmanifest", source: JSON.stringify(manifest, null, 2) });
    },
  };
}

export default defineConfig({
  plugins: [preact(), manifestAndIcons(), pwaServiceWorker({ entry: "src/sw/sw.ts" })],
  base: "./",
  build: {
    target: "es2022",
    sourcemap: false,
    // scripts/bundle-size.ts reads it to tell first-load chunks from lazy ones.
    manifest: true,
  },
  server: { port: 3002, strictPort: true },
  preview: { port: 3002, strictPort: true, host: "127.0.0.1" },
});
