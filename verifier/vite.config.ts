import { createHash } from "node:crypto";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";
import { renderIconPng } from "./scripts/icons";

const SW_ENTRY = "sw";

/**
 * PWA without a plugin framework: emits the icons and the web manifest, and writes the list of
 * built files into the hand-written service worker so it can precache the whole app.
 */
function pwa(): Plugin {
  return {
    name: "haki-verifier-pwa",
    apply: "build",
    generateBundle(_options, bundle) {
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
          {
            src: "icon-maskable-512.png",
            sizes: "512x512",
            type: "image/png",
            purpose: "maskable",
          },
        ],
      };
      this.emitFile({
        type: "asset",
        fileName: "manifest.webmanifest",
        source: JSON.stringify(manifest, null, 2),
      });
      const sw = Object.values(bundle).find((c) => c.type === "chunk" && c.name === SW_ENTRY);
      if (!sw || sw.type !== "chunk") throw new Error("service worker chunk missing");
      const files = Object.keys(bundle)
        .filter((f) => f !== sw.fileName && !f.endsWith(".map") && !f.startsWith(".vite/"))
        .concat(["icon-192.png", "icon-512.png", "icon-maskable-512.png", "manifest.webmanifest"]);
      const precache = ["./", ...new Set(files)].sort();
      const version = createHash("sha256")
        .update(
          Object.values(bundle)
            .map((c) => (c.type === "chunk" ? c.code : String(c.source.length)))
            .join("\n"),
        )
        .digest("hex")
        .slice(0, 12);
      sw.code = sw.code
        .replace("__PRECACHE_MANIFEST__", JSON.stringify(precache))
        .replace("__PRECACHE_VERSION__", JSON.stringify(version));
    },
  };
}

export default defineConfig({
  plugins: [preact(), pwa()],
  base: "./",
  build: {
    target: "es2022",
    sourcemap: false,
    // scripts/bundle-size.ts reads it to tell first-load chunks from lazy ones.
    manifest: true,
    rollupOptions: {
      input: { index: "index.html", [SW_ENTRY]: "src/sw.ts" },
      output: {
        entryFileNames: (chunk) => (chunk.name === SW_ENTRY ? "sw.js" : "assets/[name]-[hash].js"),
      },
    },
  },
  server: { port: 3002, strictPort: true },
  preview: { port: 3002, strictPort: true, host: "127.0.0.1" },
});
