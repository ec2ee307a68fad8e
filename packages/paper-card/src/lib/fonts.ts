// Bundled fonts (Noto Sans from @fontsource npm packages: nothing is fetched at run time) and the
// text drawing that uses fontkit's shaping with its glyph positions.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import {
  PDFHexString,
  beginText,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setFillingRgbColor,
  setFontAndSize,
  setTextMatrix,
  showText,
  type PDFDocument,
  type PDFFont,
  type PDFPage,
} from "pdf-lib";
import { MissingGlyphError } from "../errors";
import { patchedFontkit } from "./fontkit-fix";

export type FontKey = "latin" | "latin-ext" | "cyrillic" | "greek" | "arabic" | "thai" | "ethiopic";

// Through getBuiltinModule so bundlers (Next's Turbopack) leave this resolver alone: they replace a
// statically visible createRequire(...).resolve(<variable>) with a stub that always throws.
const require = (process.getBuiltinModule?.("node:module")?.createRequire ?? createRequire)(import.meta.url);
const fileIn = (pkg: string, file: string) => () => join(dirname(require.resolve(pkg)), "files", file);

/** In fallback order: a character goes to the first font that has it. */
const FONT_FILES: ReadonlyArray<readonly [FontKey, () => string]> = [
  ["latin", fileIn("@fontsource/noto-sans", "noto-sans-latin-400-normal.woff")],
  ["latin-ext", fileIn("@fontsource/noto-sans", "noto-sans-latin-ext-400-normal.woff")],
  ["arabic", fileIn("@fontsource/noto-sans-arabic", "noto-sans-arabic-arabic-400-normal.woff")],
  ["thai", fileIn("@fontsource/noto-sans-thai", "noto-sans-thai-thai-400-normal.woff")],
  // Only published as a variable WOFF2; its default instance is the regular weight.
  ["ethiopic", fileIn("@fontsource-variable/noto-sans-ethiopic", "noto-sans-ethiopic-ethiopic-wght-normal.woff2")],
  ["cyrillic", fileIn("@fontsource/noto-sans", "noto-sans-cyrillic-400-normal.woff")],
  ["greek", fileIn("@fontsource/noto-sans", "noto-sans-greek-400-normal.woff")],
];

interface LoadedFont {
  key: FontKey;
  bytes: Uint8Array;
  postscriptName: string;
  covers(codePoint: number): boolean;
}

let loading: Promise<LoadedFont[]> | undefined;

/** Reads the bundled fonts once per process. */
export function loadFonts(): Promise<LoadedFont[]> {
  loading ??= Promise.all(
    FONT_FILES.map(async ([key, path]) => {
      const bytes = new Uint8Array(await readFile(path()));
      const probe = patchedFontkit.create(bytes);
      return { key, bytes, postscriptName: probe.postscriptName ?? `Noto-${key}`, covers: (cp: number) => probe.hasGlyphForCodePoint(cp) };
    }),
  );
  return loading;
}

interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface FontkitLike {
  unitsPerEm: number;
  layout(text: string): { glyphs: unknown[]; positions: GlyphPosition[] };
}

/** The fonts of one PDF document, embedded (and subset) on first use. */
export class DocumentFonts {
  private readonly embedded = new Map<FontKey, Promise<PDFFont>>();
  readonly shapeCache = new Map<string, ShapedRun[]>();

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: LoadedFont[],
  ) {
    doc.registerFontkit(patchedFontkit);
  }

  font(key: FontKey): Promise<PDFFont> {
    let font = this.embedded.get(key);
    if (!font) {
      const source = this.fonts.find((f) => f.key === key);
      if (!source) throw new Error(`Font ${key} is not bundled.`);
      // PDF names a subset font "ABCDEF+Name"; viewers and preflight tools rely on the tag.
      const tag = `HAKI${String.fromCharCode(65 + Math.floor(this.embedded.size / 26), 65 + (this.embedded.size % 26))}`;
      font = this.doc.embedFont(source.bytes, { subset: true, customName: `${tag}+${source.postscriptName}` });
      this.embedded.set(key, font);
    }
    return font;
  }

  /** Splits a line into runs of one font each (see `splitRuns`). */
  line(text: string): Line {
    return splitRuns(text, this.fonts);
  }
}

export interface TextRun {
  text: string;
  font: FontKey;
  rtl: boolean;
}

const RTL_FONTS: ReadonlySet<FontKey> = new Set(["arabic"]);
const STRONG = /[\p{L}]/u;
const MARK = /[\p{M}\u200C\u200D]/u;
const DIGIT = /\p{Nd}/u;

/** A line split into font runs, in visual (left-to-right drawing) order, with its direction. */
export interface Line {
  runs: TextRun[];
  rtl: boolean;
}

/**
 * Font runs in visual order. Simplified bidi: a line whose first strong letter is Arabic is
 * right-to-left, so its runs are laid out right to left; digits always form left-to-right runs
 * (fontkit reverses a whole right-to-left run, which would turn 2027 into 7202).
 */
export function splitRuns(text: string, fonts: readonly LoadedFont[]): Line {
  const runs: TextRun[] = [];
  let current: TextRun | undefined;
  for (const ch of text.normalize("NFC")) {
    const cp = ch.codePointAt(0) as number;
    const isDigit = DIGIT.test(ch);
    const stick =
      current &&
      (MARK.test(ch) ||
        (!STRONG.test(ch) && !(isDigit && current.rtl) && coverage(fonts, current.font, cp)));
    if (current && stick) {
      current.text += ch;
      continue;
    }
    const key = isDigit ? firstCovering(fonts, cp, ["latin"]) : firstCovering(fonts, cp);
    if (!key) throw new MissingGlyphError(ch);
    if (current && current.font === key && !(isDigit && current.rtl)) {
      current.text += ch;
    } else {
      current = { text: ch, font: key, rtl: RTL_FONTS.has(key) && !isDigit };
      runs.push(current);
    }
  }
  const rtl = runs.find((r) => STRONG.test(r.text))?.rtl ?? false;
  if (!rtl) return { runs, rtl };
  // Drawn right to left: a left-to-right run's trailing space must show on its left, the side
  // that faces the next word.
  const mirrored = runs.map((r) => (r.rtl ? r : { ...r, text: r.text.replace(/^(\s*)(.*?)(\s*)$/su, "$3$2$1") }));
  return { runs: mirrored.reverse(), rtl };
}

function coverage(fonts: readonly LoadedFont[], key: FontKey, cp: number): boolean {
  return fonts.find((f) => f.key === key)?.covers(cp) ?? false;
}

function firstCovering(fonts: readonly LoadedFont[], cp: number, prefer: FontKey[] = []): FontKey | undefined {
  for (const key of prefer) if (coverage(fonts, key, cp)) return key;
  return fonts.find((f) => f.covers(cp))?.key;
}

interface ShapedRun {
  font: PDFFont;
  hex: string[];
  positions: GlyphPosition[];
  scale: number;
  width: number;
}

function embedderFont(font: PDFFont): FontkitLike {
  return (font as unknown as { embedder: { font: FontkitLike } }).embedder.font;
}

/**
 * Shapes runs with fontkit (the same font object pdf-lib subsets, so glyph ids line up) and keeps
 * the positions: pdf-lib's own drawText drops GPOS offsets, which misplaces Arabic dots and Thai
 * tone marks.
 */
export async function shape(fonts: DocumentFonts, runs: readonly TextRun[], size: number): Promise<ShapedRun[]> {
  const key = `${size}|${runs.map((r) => `${r.font}:${r.text}`).join("\u0000")}`;
  const cached = fonts.shapeCache.get(key);
  if (cached) return cached;
  const shaped: ShapedRun[] = [];
  for (const run of runs) {
    const font = await fonts.font(run.font);
    const fk = embedderFont(font);
    const layout = fk.layout(run.text);
    // encodeText registers the glyphs with the subset and returns their subset ids, 4 hex digits each.
    const encoded = font.encodeText(run.text).asString();
    const hex = encoded.match(/.{4}/g) ?? [];
    if (hex.length !== layout.positions.length) throw new Error("Shaping mismatch between fontkit and pdf-lib.");
    const scale = size / fk.unitsPerEm;
    const width = layout.positions.reduce((sum, p) => sum + p.xAdvance * scale, 0);
    shaped.push({ font, hex, positions: layout.positions, scale, width });
  }
  // Labels and wrap candidates repeat on every card; the glyphs are already in this document's subset.
  if (fonts.shapeCache.size > 20_000) fonts.shapeCache.clear();
  fonts.shapeCache.set(key, shaped);
  return shaped;
}

export function shapedWidth(shaped: readonly ShapedRun[]): number {
  return shaped.reduce((sum, r) => sum + r.width, 0);
}

/** Draws shaped runs from `x` (their left edge) on the baseline `y`. */
export function drawShaped(page: PDFPage, shaped: readonly ShapedRun[], x: number, y: number, size: number, color: readonly [number, number, number]): void {
  const ops = [pushGraphicsState(), setFillingRgbColor(...color), beginText()];
  let pen = x;
  for (const run of shaped) {
    const key = page.node.newFontDictionary(run.font.name, run.font.ref);
    ops.push(setFontAndSize(key, size));
    run.hex.forEach((glyph, i) => {
      const p = run.positions[i] as GlyphPosition;
      ops.push(setTextMatrix(1, 0, 0, 1, pen + p.xOffset * run.scale, y + p.yOffset * run.scale));
      ops.push(showText(PDFHexString.of(glyph)));
      pen += p.xAdvance * run.scale;
    });
  }
  ops.push(endText(), popGraphicsState());
  page.pushOperators(...ops);
}
