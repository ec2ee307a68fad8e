/**
 * Paper cards as a service point's camera sees them: a page of the issuer's cards PDF rendered to
 * an image (Poppler's pdftoppm, as a printer would rasterise it), cut into its ten cards, each QR
 * read and decoded back to the credential it carries (VC 1.1 VC-JWT or VC 2.0 `vc+jwt`).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { readEntitlementCredential } from "@haki/credentials/verify";
import type { JwtCredentialFormat } from "@haki/credentials/model";
import { decodeProof } from "@haki/qr/codec";
import { decodeQrFromPng } from "./qr-image";

/** Cards on one A4 page of @haki/paper-card (two columns, five rows). */
export const CARDS_PER_PAGE = 10;

export interface ScannedCard {
  /** The card cut out of the page, as a camera would frame it. */
  png: Buffer;
  /** The credential's format and its subject (read, not verified: the verifier under test checks). */
  format: JwtCredentialFormat;
  beneficiary: string;
  name: string | undefined;
  /** Where the issuer publishes this card's revocation: the list's URL and the card's position. */
  revocation: { list: string; index: number };
  jwt: string;
}

/**
 * Page `page` (from 1) of a PDF as a PNG at `dpi`.
 *
 * @example
 * const page = renderPdfPage(await res.body(), 1);
 */
export function renderPdfPage(pdf: Uint8Array, page = 1, dpi = 200): PNG {
  const dir = mkdtempSync(join(tmpdir(), "haki-cards-"));
  try {
    writeFileSync(join(dir, "cards.pdf"), pdf);
    const r = spawnSync("pdftoppm", ["-r", String(dpi), "-f", String(page), "-l", String(page), "-png", "-singlefile", join(dir, "cards.pdf"), join(dir, "page")]);
    if (r.status !== 0) throw new Error(`pdftoppm: ${r.stderr?.toString() || r.error?.message}`);
    return PNG.sync.read(readFileSync(join(dir, "page.png")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Cuts card `i` (0-9, row by row) out of a rendered A4 page of cards (@haki/paper-card layout).
 *
 * @example
 * const png = cropCard(renderPdfPage(pdf), 3);
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
 * The text of every card's QR on page `page` of a cards PDF, with the card's image, in page order
 * (cards whose QR does not read are left out): what a camera sees, not yet decoded.
 *
 * @example
 * const cards = readPrintedCards(await res.body()); // [{ png, text: "HK1:..." }, ...]
 */
export function readPrintedCards(pdf: Uint8Array, page = 1): { png: Buffer; text: string }[] {
  const image = renderPdfPage(pdf, page);
  const cards: { png: Buffer; text: string }[] = [];
  for (let i = 0; i < CARDS_PER_PAGE; i++) {
    const png = cropCard(image, i);
    const text = decodeQrFromPng(png);
    if (text) cards.push({ png, text });
  }
  return cards;
}

/**
 * The cards of a page whose QR reads back as an entitlement credential, in page order (a blank
 * slot, a QR that is not a Haki credential, or one of an unknown issuer is left out).
 *
 * @example
 * const cards = scanCardsOnPage(renderPdfPage(pdf), { issuers: [issuerDid] });
 */
export function scanCardsOnPage(page: PNG, options: { issuers: readonly string[] }): ScannedCard[] {
  const cards: ScannedCard[] = [];
  for (let i = 0; i < CARDS_PER_PAGE; i++) {
    const png = cropCard(page, i);
    const text = decodeQrFromPng(png);
    if (!text) continue;
    let jwt: string;
    try {
      const decoded = decodeProof(text, { issuers: options.issuers });
      if (decoded.kind !== "credential") continue;
      jwt = decoded.jwt;
    } catch {
      continue;
    }
    // Both JWT formats: a VC 1.1 card keeps its subject under `vc`, a `vc+jwt` is the credential itself.
    const read = readEntitlementCredential(jwt);
    if (!read) continue;
    const { credentialSubject: subject, credentialStatus } = read.payload.vc;
    const revocation = credentialStatus.find((s) => s.statusPurpose === "revocation")!;
    cards.push({
      png,
      format: read.format,
      beneficiary: subject.beneficiary,
      name: subject.name,
      revocation: { list: revocation.statusListCredential, index: Number(revocation.statusListIndex) },
      jwt,
    });
  }
  return cards;
}
