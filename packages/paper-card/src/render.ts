/**
 * Printable paper cards for beneficiaries without a smartphone: ID-1 cards (85.6 x 54 mm), ten
 * per A4 sheet with cut marks, each with the name, programme, what it gives, valid until, a short
 * card number and the compact QR (the same payload a wallet would show).
 */
import { PDFDocument, fill, lineTo, moveTo, popGraphicsState, pushGraphicsState, rectangle, setFillingRgbColor, setLineWidth, setStrokingRgbColor, stroke, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import * as z from "zod";
import { CardInvalidError, QrTooLargeError } from "./errors";
import { DocumentFonts, drawShaped, loadFonts, shape, shapedWidth } from "./lib/fonts";

const MM = 72 / 25.4;
/** ISO/IEC 7810 ID-1, in PDF points. */
export const CARD_WIDTH = 85.6 * MM;
export const CARD_HEIGHT = 54 * MM;
export const A4_WIDTH = 210 * MM;
export const A4_HEIGHT = 297 * MM;
export const CARDS_PER_PAGE = 10;
const COLUMNS = 2;
const ROWS = 5;
const MARGIN_X = (A4_WIDTH - COLUMNS * CARD_WIDTH) / 2;
const MARGIN_Y = (A4_HEIGHT - ROWS * CARD_HEIGHT) / 2;
const PAD = 7;
const QR_SIZE = 112; // 39.5 mm: a version-17 QR still has 0.43 mm modules
const BLACK = [0, 0, 0] as const;
const GREY = [0.35, 0.35, 0.35] as const;

export const Card = z.object({
  /** The beneficiary's name, in any bundled script (Latin, Arabic, Ethiopic, Thai, Cyrillic, Greek). */
  name: z.string().trim().min(1).max(120),
  /** Programme name, e.g. "Cash for Work". */
  programme: z.string().trim().min(1).max(120),
  /** What the card gives, in plain words, e.g. "KES 2,500 cash" or "25 kg maize flour". */
  benefit: z.string().trim().min(1).max(160),
  validUntil: z.coerce.date(),
  /** Short number read out at the counter, e.g. "7Q2X-9K4M". */
  cardNumber: z.string().trim().min(1).max(24),
  /** The QR content (from @haki/qr's `encodeProof`); printed as is. */
  qrPayload: z.string().min(1).max(7089),
});
export type Card = z.input<typeof Card>;

export const RenderOptions = z.object({
  /** Printed small at the top of every card, e.g. "Ministry of Social Protection". */
  issuerName: z.string().max(120).optional(),
  /** BCP 47 locale for the date; digits stay Western (0-9) so they print the same everywhere. */
  locale: z.string().default("en"),
  labels: z
    .object({
      programme: z.string().default("Programme"),
      gives: z.string().default("Gives"),
      validUntil: z.string().default("Valid until"),
      card: z.string().default("Card no."),
    })
    .default({ programme: "Programme", gives: "Gives", validUntil: "Valid until", card: "Card no." }),
  errorCorrection: z.enum(["L", "M", "Q", "H"]).default("M"),
  cutMarks: z.boolean().default(true),
  /** Card layout: "rtl" puts the QR on the left and right-aligns every line (Arabic cards). */
  direction: z.enum(["ltr", "rtl"]).default("ltr"),
  /** Called after each page is laid out (progress for large batches). */
  onPage: z.custom<(page: number, cards: number) => void>((v) => typeof v === "function").optional(),
});
export type RenderOptions = z.input<typeof RenderOptions>;

/**
 * Renders cards into an A4 PDF, ten per page, adding pages as cards arrive (any iterable or async
 * iterable, e.g. a database cursor). Throws `ERR_CARD_INVALID` (with the card's position, or no cards),
 * `ERR_GLYPH_MISSING` or `ERR_QR_TOO_LARGE`.
 * @example
 * const pdf = await renderCardsPdf(
 *   [{ name: "Amina Wanjiru", programme: "Cash for Work", benefit: "KES 2,500", validUntil: "2027-04-01",
 *      cardNumber: "7Q2X-9K4M", qrPayload: encodeProof(vcJwt) }],
 *   { issuerName: "Ministry of Social Protection" },
 * );
 */
export async function renderCardsPdf(cards: Iterable<Card> | AsyncIterable<Card>, options: RenderOptions = {}): Promise<Uint8Array> {
  const opts = RenderOptions.parse(options);
  const doc = await PDFDocument.create();
  doc.setTitle("Entitlement cards");
  doc.setCreator("Haki");
  doc.setProducer("Haki paper-card (pdf-lib)");
  const fonts = new DocumentFonts(doc, await loadFonts());
  const dateFormat = new Intl.DateTimeFormat(`${opts.locale}-u-nu-latn`, { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

  let page: PDFPage | undefined;
  let index = 0;
  for await (const input of cards) {
    const parsed = Card.safeParse(input);
    if (!parsed.success) throw new CardInvalidError(`card ${index + 1}: ${parsed.error.issues.map((i) => i.path.join(".") || i.message).join(", ")}`, { cause: parsed.error });
    const slot = index % CARDS_PER_PAGE;
    if (slot === 0) {
      if (page) opts.onPage?.(doc.getPageCount(), index);
      page = doc.addPage([A4_WIDTH, A4_HEIGHT]);
      if (opts.cutMarks) drawCutMarks(page);
    }
    const column = slot % COLUMNS;
    const row = Math.floor(slot / COLUMNS);
    const x = MARGIN_X + column * CARD_WIDTH;
    const y = A4_HEIGHT - MARGIN_Y - (row + 1) * CARD_HEIGHT;
    await drawCard(page as PDFPage, fonts, parsed.data, x, y, opts, dateFormat);
    index += 1;
  }
  if (!page) throw new CardInvalidError("there are no cards to print.");
  opts.onPage?.(doc.getPageCount(), index);
  return doc.save();
}

function drawCutMarks(page: PDFPage): void {
  const ops = [pushGraphicsState(), setStrokingRgbColor(0, 0, 0), setLineWidth(0.5)];
  const gap = 1.5 * MM;
  const len = 5 * MM;
  const top = A4_HEIGHT - MARGIN_Y;
  for (let c = 0; c <= COLUMNS; c++) {
    const x = MARGIN_X + c * CARD_WIDTH;
    ops.push(moveTo(x, top + gap), lineTo(x, top + gap + len), moveTo(x, MARGIN_Y - gap), lineTo(x, MARGIN_Y - gap - len));
  }
  for (let r = 0; r <= ROWS; r++) {
    const y = MARGIN_Y + r * CARD_HEIGHT;
    ops.push(moveTo(MARGIN_X - gap, y), lineTo(MARGIN_X - gap - len, y));
    ops.push(moveTo(A4_WIDTH - MARGIN_X + gap, y), lineTo(A4_WIDTH - MARGIN_X + gap + len, y));
  }
  ops.push(stroke(), popGraphicsState());
  page.pushOperators(...ops);
}

type ResolvedOptions = z.output<typeof RenderOptions>;

async function drawCard(page: PDFPage, fonts: DocumentFonts, card: z.output<typeof Card>, x: number, y: number, opts: ResolvedOptions, dateFormat: Intl.DateTimeFormat): Promise<void> {
  // Hairline outline: a guide where the guillotine is slightly off, invisible once cut.
  page.pushOperators(pushGraphicsState(), setStrokingRgbColor(0.8, 0.8, 0.8), setLineWidth(0.3), rectangle(x, y, CARD_WIDTH, CARD_HEIGHT), stroke(), popGraphicsState());

  const mirrored = opts.direction === "rtl";
  const qrX = mirrored ? x + PAD : x + CARD_WIDTH - PAD - QR_SIZE;
  const qrY = y + (CARD_HEIGHT - QR_SIZE) / 2;
  drawQr(page, card.qrPayload, qrX, qrY, QR_SIZE, opts.errorCorrection);

  const left = mirrored ? qrX + QR_SIZE + PAD : x + PAD;
  const width = CARD_WIDTH - 3 * PAD - QR_SIZE;
  let cursor = y + CARD_HEIGHT - PAD;
  const text = async (value: string, size: number, minSize: number, maxLines: number, color: readonly [number, number, number], gapAfter: number) => {
    cursor = await drawParagraph(page, fonts, value, { left, width, top: cursor, size, minSize, maxLines, color, alignEnd: mirrored });
    cursor -= gapAfter;
  };
  if (opts.issuerName) await text(opts.issuerName, 6, 4.5, 1, GREY, 3);
  await text(card.name, 10.5, 7, 2, BLACK, 4);
  await text(opts.labels.programme, 5.5, 4.5, 1, GREY, 0.5);
  await text(card.programme, 7.5, 6, 2, BLACK, 2.5);
  await text(opts.labels.gives, 5.5, 4.5, 1, GREY, 0.5);
  await text(card.benefit, 7.5, 6, 2, BLACK, 2.5);
  await text(opts.labels.validUntil, 5.5, 4.5, 1, GREY, 0.5);
  await text(dateFormat.format(card.validUntil), 7.5, 6, 1, BLACK, 0);

  // Card number pinned to the bottom, large enough to read out at the counter.
  await drawParagraph(page, fonts, `${opts.labels.card} ${card.cardNumber}`, { left, width, top: y + PAD + 9, size: 8.5, minSize: 6, maxLines: 1, color: BLACK, alignEnd: mirrored });
}

function drawQr(page: PDFPage, payload: string, x: number, y: number, size: number, errorCorrectionLevel: "L" | "M" | "Q" | "H"): void {
  let qr: QRCode.QRCode;
  try {
    // Haki's compact payloads are QR alphanumeric (base45); naming the mode skips qrcode's segment
    // search, which was the largest cost of a card.
    const segment: QRCode.QRCodeSegment = /^[0-9A-Z $%*+\-./:]*$/.test(payload)
      ? { data: payload, mode: "alphanumeric" }
      : { data: new TextEncoder().encode(payload), mode: "byte" };
    qr = QRCode.create([segment], { errorCorrectionLevel });
  } catch (cause) {
    throw new QrTooLargeError({ cause });
  }
  const n = qr.modules.size;
  const quiet = 2; // plus the card padding outside: more than the 4 modules the standard asks for
  const m = size / (n + 2 * quiet);
  const ops = [pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
  for (let r = 0; r < n; r++) {
    let c = 0;
    while (c < n) {
      if (!qr.modules.get(r, c)) {
        c += 1;
        continue;
      }
      const start = c;
      while (c < n && qr.modules.get(r, c)) c += 1;
      // Rows merged into runs: a tenth of the operators of one square per module.
      ops.push(rectangle(x + (quiet + start) * m, y + size - (quiet + r + 1) * m, (c - start) * m, m));
    }
  }
  ops.push(fill(), popGraphicsState());
  page.pushOperators(...ops);
}

interface ParagraphBox {
  left: number;
  width: number;
  top: number;
  size: number;
  minSize: number;
  maxLines: number;
  color: readonly [number, number, number];
  /** Right-align every line (mirrored card), not only right-to-left ones. */
  alignEnd: boolean;
}

/** Lays out `value` in at most `maxLines` lines, shrinking to `minSize`, then ellipsizing. Returns the new top. */
async function drawParagraph(page: PDFPage, fonts: DocumentFonts, value: string, box: ParagraphBox): Promise<number> {
  const words = value.split(/\s+/).filter(Boolean);
  let size = box.size;
  let fit = await wrap(fonts, words, size, box.width, box.maxLines);
  while (fit.overflow && size - 0.5 >= box.minSize) {
    size -= 0.5;
    fit = await wrap(fonts, words, size, box.width, box.maxLines);
  }
  const lines = fit.lines.slice(0, box.maxLines);
  if (fit.overflow) lines[lines.length - 1] = await ellipsize(fonts, lines[lines.length - 1] ?? "", size, box.width);
  let top = box.top;
  for (const line of lines) {
    const { runs, rtl } = fonts.line(line);
    const shaped = await shape(fonts, runs, size);
    const w = shapedWidth(shaped);
    const baseline = top - size * 0.95;
    // Right-to-left lines end at the column's right edge.
    const x = rtl || box.alignEnd ? box.left + box.width - w : box.left;
    drawShaped(page, shaped, x, baseline, size, box.color);
    top -= size * 1.22;
  }
  return top;
}

async function measure(fonts: DocumentFonts, text: string, size: number): Promise<number> {
  return shapedWidth(await shape(fonts, fonts.line(text).runs, size));
}

/** Greedy word wrap; `overflow` when more lines than allowed are needed or a word is wider than the column. */
async function wrap(fonts: DocumentFonts, words: string[], size: number, width: number, maxLines: number): Promise<{ lines: string[]; overflow: boolean }> {
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word;
    if (!line || (await measure(fonts, candidate, size)) <= width) {
      line = candidate;
    } else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  let overflow = lines.length > maxLines;
  for (const l of lines.slice(0, maxLines)) if ((await measure(fonts, l, size)) > width) overflow = true;
  return { lines, overflow };
}

async function ellipsize(fonts: DocumentFonts, line: string, size: number, width: number): Promise<string> {
  let chars = Array.from(line);
  while (chars.length > 1 && (await measure(fonts, `${chars.join("").trimEnd()}…`, size)) > width) chars = chars.slice(0, -1);
  return `${chars.join("").trimEnd()}…`;
}
