/**
 * Paper cards as a service point's camera reads them, for issuer tests: a page of a cards PDF the
 * issuer rendered is rasterised (Poppler's pdftoppm, as a printer would), cut into its ten cards
 * (@haki/paper-card's A4 layout: two columns, five rows of 85.6 x 54 mm), and each QR read with
 * jsQR. The same steps as e2e/src/kit/paper-card.ts, without a browser.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { PNG } from "pngjs";

const CARDS_PER_PAGE = 10;

/**
 * The QR text of every card on page `page` of a cards PDF, in page order (blank slots left out).
 *
 * @example
 * const [first] = scanPrintedCards(pdf); // "HK1:..."
 */
export function scanPrintedCards(pdf: Uint8Array, page = 1, dpi = 200): string[] {
  const dir = mkdtempSync(join(tmpdir(), "haki-cards-"));
  let image: PNG;
  try {
    writeFileSync(join(dir, "cards.pdf"), pdf);
    const r = spawnSync("pdftoppm", ["-r", String(dpi), "-f", String(page), "-l", String(page), "-png", "-singlefile", join(dir, "cards.pdf"), join(dir, "page")]);
    if (r.status !== 0) throw new Error(`pdftoppm: ${r.stderr?.toString() || r.error?.message}`);
    image = PNG.sync.read(readFileSync(join(dir, "page.png")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const mm = image.width / 210;
  const [cardW, cardH] = [Math.floor(85.6 * mm), Math.floor(54 * mm)];
  const texts: string[] = [];
  for (let i = 0; i < CARDS_PER_PAGE; i++) {
    const x0 = Math.floor((image.width - 2 * 85.6 * mm) / 2 + (i % 2) * 85.6 * mm);
    const y0 = Math.floor((image.height - 5 * 54 * mm) / 2 + Math.floor(i / 2) * 54 * mm);
    const card = new PNG({ width: cardW, height: cardH });
    PNG.bitblt(image, card, x0, y0, cardW, cardH, 0, 0);
    const found = jsQR(new Uint8ClampedArray(card.data.buffer, card.data.byteOffset, card.data.length), cardW, cardH);
    if (found?.data) texts.push(found.data);
  }
  return texts;
}
