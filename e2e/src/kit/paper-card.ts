/**
 * Paper cards as a service point sees them: the issuer's printable PDF of a cycle's cards
 * (@haki/paper-card layout: A4, 2 x 5 cards of 85.6 x 54 mm), rendered to an image with Debian's
 * pdftoppm, cut into cards, and each card's QR code read as a camera would.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PNG } from "pngjs";
import { decodeQrFromPng } from "./qr-image";

/**
 * Cuts card `i` (0-9, row by row) out of a rendered A4 page of cards.
 *
 * @example
 * const png = cropCard(PNG.sync.read(readFileSync("page.png")), 0);
 */
export function cropCard(page: PNG, i: number): Buffer {
  const mm = page.width / 210;
  const cardW = 85.6 * mm;
  const cardH = 54 * mm;
  const x0 = Math.floor((page.width - 2 * cardW) / 2 + (i % 2) * cardW);
  const y0 = Math.floor((page.height - 5 * cardH) / 2 + Math.floor(i / 2) * cardH);
  const card = new PNG({ width: Math.floor(cardW), height: Math.floor(cardH) });
  PNG.bitblt(page, card, x0, y0, card.width, card.height, 0, 0);
  return PNG.sync.write(card);
}

/**
 * The cards on the first page of a cards PDF, rendered at 200 dpi: each card's image and the text
 * of its QR code (cards whose QR does not read are left out).
 *
 * @example
 * const cards = readPrintedCards(await res.body(), workDir); // [{ png, text: "HK1:..." }, ...]
 */
export function readPrintedCards(pdf: Buffer, workDir: string): { png: Buffer; text: string }[] {
  const file = join(workDir, "cards.pdf");
  writeFileSync(file, pdf);
  const r = spawnSync("pdftoppm", ["-r", "200", "-f", "1", "-l", "1", "-png", "-singlefile", file, join(workDir, "cards-page")]);
  if (r.status !== 0) throw new Error(`pdftoppm: ${r.stderr?.toString()}`);
  const page = PNG.sync.read(readFileSync(join(workDir, "cards-page.png")));
  const cards: { png: Buffer; text: string }[] = [];
  for (let i = 0; i < 10; i++) {
    const png = cropCard(page, i);
    const text = decodeQrFromPng(png);
    if (text) cards.push({ png, text });
  }
  return cards;
}
