/**
 * Renders the PNG app icons from the SVG sources with the local Chromium (nothing downloaded).
 * Run once after changing an SVG: `tsx scripts/make-icons.ts`; the PNGs are committed.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launchChromium } from "@haki/e2e/browser";

const dir = fileURLToPath(new URL("../public/icons/", import.meta.url));
const jobs = [
  { svg: "icon.svg", out: "icon-192.png", size: 192 },
  { svg: "icon.svg", out: "icon-512.png", size: 512 },
  { svg: "icon-maskable.svg", out: "icon-maskable-512.png", size: 512 },
];

const browser = await launchChromium();
try {
  for (const job of jobs) {
    const page = await browser.newPage({ viewport: { width: job.size, height: job.size } });
    const svg = readFileSync(dir + job.svg, "utf8").replace("<svg ", `<svg width="${job.size}" height="${job.size}" `);
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    writeFileSync(dir + job.out, await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: job.size, height: job.size } }));
    await page.close();
  }
} finally {
  await browser.close();
}
