import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import jsQR from "jsqr";
import { PDFDocument } from "pdf-lib";
import { PNG } from "pngjs";
import { afterAll, describe, expect, it } from "vitest";
import { PaperCardError } from "./errors";
import { A4_HEIGHT, A4_WIDTH, CARD_HEIGHT, CARD_WIDTH, renderCardsPdf, type Card } from "./render";

const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
/** A deterministic payload the size of a compact entitlement QR (about 450 base45 characters). */
function payload(seed: number, length = 450): string {
  let x = seed * 2654435761 + 1;
  let out = "HC1:";
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += BASE45[x % BASE45.length];
  }
  return out;
}

const NAMES = ["Amina Wanjiru", "محمد علي بن سعيد", "አበበ በቂላ", "สมชาย ใจดี", "Ngũgĩ wa Thiong'o", "Олена Шевченко"];
const cardAt = (i: number): Card => ({
  name: NAMES[i % NAMES.length] as string,
  programme: i % 2 ? "Cash for Work" : "Food Security Programme",
  benefit: i % 2 ? "KES 2,500 cash" : "25 kg maize flour",
  validUntil: "2027-04-01",
  cardNumber: `7Q2X-${String(i).padStart(4, "0")}`,
  qrPayload: payload(i),
});

const hasPoppler = spawnSync("pdftoppm", ["-v"]).error === undefined;
const work = mkdtempSync(join(tmpdir(), "haki-paper-card-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let batch: Uint8Array | undefined;
async function batchOf25(): Promise<Uint8Array> {
  batch ??= await renderCardsPdf(Array.from({ length: 25 }, (_, i) => cardAt(i)), { issuerName: "Ministry of Social Protection" });
  return batch;
}

describe("renderCardsPdf", () => {
  it("puts 25 cards on 3 A4 pages", async () => {
    const doc = await PDFDocument.load(await batchOf25());
    expect(doc.getPageCount()).toBe(3);
    for (const page of doc.getPages()) {
      expect(page.getWidth()).toBeCloseTo(A4_WIDTH, 1);
      expect(page.getHeight()).toBeCloseTo(A4_HEIGHT, 1);
    }
    expect(A4_WIDTH).toBeCloseTo(595.28, 1);
    expect(CARD_WIDTH).toBeCloseTo(242.65, 1);
    expect(CARD_HEIGHT).toBeCloseTo(153.07, 1);
  }, 60_000);

  it("adds pages as cards arrive from an async source and reports progress", async () => {
    async function* source() {
      for (let i = 0; i < 21; i++) yield cardAt(i);
    }
    const progress: Array<[number, number]> = [];
    const pdf = await renderCardsPdf(source(), { onPage: (page, cards) => progress.push([page, cards]) });
    expect(progress).toEqual([[1, 10], [2, 20], [3, 21]]);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(3);
  }, 60_000);

  it("refuses an empty batch rather than print a blank page", async () => {
    expect(((await renderCardsPdf([]).catch((e: unknown) => e)) as PaperCardError).code).toBe("ERR_CARD_INVALID");
  });

  it("refuses a card with a missing field, naming its position", async () => {
    const bad = { ...cardAt(1), name: "  " };
    const error = await renderCardsPdf([cardAt(0), bad]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaperCardError);
    expect((error as PaperCardError).code).toBe("ERR_CARD_INVALID");
    expect((error as PaperCardError).message).toContain("card 2");
    const date = await renderCardsPdf([{ ...cardAt(0), validUntil: "soon" }]).catch((e: unknown) => e);
    expect((date as PaperCardError).code).toBe("ERR_CARD_INVALID");
  });

  it("refuses a name no bundled font can print instead of printing boxes", async () => {
    const error = await renderCardsPdf([{ ...cardAt(0), name: "王小明" }]).catch((e: unknown) => e);
    expect((error as PaperCardError).code).toBe("ERR_GLYPH_MISSING");
  });

  it("refuses a QR payload too long for a QR code", async () => {
    const error = await renderCardsPdf([{ ...cardAt(0), qrPayload: "é".repeat(3000) }], { errorCorrection: "H" }).catch((e: unknown) => e);
    expect((error as PaperCardError).code).toBe("ERR_QR_TOO_LARGE");
  });

  it("mirrors the card for right-to-left layouts: QR on the left", async () => {
    const arabic = { ...cardAt(1), programme: "برنامج الدعم النقدي", benefit: "2500 جنيه نقدًا" };
    const pdf = await renderCardsPdf([arabic], { direction: "rtl", locale: "ar", labels: { programme: "البرنامج", gives: "يمنح", validUntil: "صالحة حتى", card: "رقم البطاقة" } });
    if (!hasPoppler) return;
    const file = join(work, "rtl.pdf");
    writeFileSync(file, pdf);
    execFileSync("pdftoppm", ["-r", "150", "-png", "-gray", "-x", "0", "-y", "0", "-W", "620", "-H", "400", file, join(work, "rtl")]);
    const png = PNG.sync.read(readFileSync(join(work, "rtl-1.png")));
    const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(found?.data).toBe(arabic.qrPayload);
    // The QR sits in the card's left half.
    const cardLeft = ((A4_WIDTH - 2 * CARD_WIDTH) / 2) * (150 / 72);
    expect(found?.location.topRightCorner.x ?? Infinity).toBeLessThan(cardLeft + (CARD_WIDTH * (150 / 72)) / 2);
  }, 30_000);

  it("keeps a long name inside the card (shrinks, wraps, then ellipsizes)", async () => {
    const long = "Mohammed Abdullahi Hassan Abdirahman Farah Ali Osman Yusuf Ibrahim Warsame";
    const pdf = await renderCardsPdf([{ ...cardAt(0), name: long }]);
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
    if (!hasPoppler) return;
    const file = join(work, "long.pdf");
    writeFileSync(file, pdf);
    const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString();
    expect(text).toContain("Mohammed");
    expect(text).toContain("…");
  }, 30_000);
});

// Needs pdftoppm, pdftotext and pdffonts from Debian's poppler-utils (apt-get install -y poppler-utils).
describe.skipIf(!hasPoppler)("printed output (skipped without poppler-utils: apt-get install -y poppler-utils)", () => {
  it("embeds every font, subset, and keeps the batch small", async () => {
    const file = join(work, "batch.pdf");
    writeFileSync(file, await batchOf25());
    const fonts = execFileSync("pdffonts", [file]).toString().split("\n").slice(2).filter(Boolean);
    expect(fonts.length).toBeGreaterThanOrEqual(5);
    for (const line of fonts) {
      expect(line).toMatch(/CID TrueType/);
      expect(line).toMatch(/\byes\s+yes\s+yes\b/); // embedded, subset, with a Unicode map
    }
    expect((await batchOf25()).length).toBeLessThan(250_000);
  }, 60_000);

  it("prints names in every script as extractable text", async () => {
    const file = join(work, "batch.pdf");
    writeFileSync(file, await batchOf25());
    const text = execFileSync("pdftotext", ["-f", "1", "-l", "1", file, "-"]).toString();
    for (const name of ["Amina Wanjiru", "አበበ በቂላ", "สมชาย ใจดี", "Олена Шевченко", "Ngũgĩ wa Thiong'o", "April 1, 2027", "7Q2X-0003"]) {
      expect(text).toContain(name);
    }
  }, 60_000);

  it("prints QR codes that scan back to each card's payload", async () => {
    const file = join(work, "batch.pdf");
    writeFileSync(file, await batchOf25());
    const dpi = 300;
    execFileSync("pdftoppm", ["-r", String(dpi), "-png", "-f", "3", "-l", "3", "-gray", file, join(work, "page")]);
    const png = PNG.sync.read(readFileSync(join(work, "page-3.png")));
    const px = dpi / 72;
    const marginX = (A4_WIDTH - 2 * CARD_WIDTH) / 2;
    const marginY = (A4_HEIGHT - 5 * CARD_HEIGHT) / 2;
    // Page 3 holds cards 21-25; scan each one's rectangle on its own.
    for (let slot = 0; slot < 5; slot++) {
      const col = slot % 2;
      const row = Math.floor(slot / 2);
      const x0 = Math.round((marginX + col * CARD_WIDTH) * px);
      const y0 = Math.round((marginY + row * CARD_HEIGHT) * px);
      const w = Math.round(CARD_WIDTH * px);
      const h = Math.round(CARD_HEIGHT * px);
      const rgba = new Uint8ClampedArray(w * h * 4);
      for (let y = 0; y < h; y++) {
        const from = ((y0 + y) * png.width + x0) * 4;
        rgba.set(png.data.subarray(from, from + w * 4), y * w * 4);
      }
      const found = jsQR(rgba, w, h);
      expect(found?.data).toBe(payload(20 + slot));
    }
  }, 60_000);

  it("prints a byte-mode payload (a lower-case credential offer link) that scans", async () => {
    const link = `https://wallet.haki.example/receive?credential_offer=${encodeURIComponent(JSON.stringify({ credential_issuer: "https://issuer.haki.example", credential_configuration_ids: ["EntitlementCredential_jwt_vc_json"], grants: { "urn:ietf:params:oauth:grant-type:pre-authorized_code": { "pre-authorized_code": "q3Jv8mWkTt0aX9s1bQ2yLr5nC7dE4fG6hJ8kM0pN2rS" } } }))}`;
    const file = join(work, "link.pdf");
    writeFileSync(file, await renderCardsPdf([{ ...cardAt(1), qrPayload: link }]));
    execFileSync("pdftoppm", ["-r", "300", "-png", "-gray", "-x", "0", "-y", "0", "-W", "1240", "-H", "800", file, join(work, "link")]);
    const png = PNG.sync.read(readFileSync(join(work, "link-1.png")));
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(link);
  }, 60_000);
});
