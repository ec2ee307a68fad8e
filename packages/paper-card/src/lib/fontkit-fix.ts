// Works around two glyph-subsetting bugs of @pdf-lib/fontkit 1.1.1 (TTFSubset._addGlyph), which
// pdf-lib uses for every `embedFont(bytes, { subset: true })`:
// 1. Glyph records are copied with their raw length; with the short `loca` format (offsets / 2) an
//    odd-length record shifts every later glyph, so Noto Sans Arabic came out as scraps.
// 2. WOFF2 fonts store `glyf` transformed; the subsetter copies those raw bytes as if they were
//    TrueType records, so Noto Sans Ethiopic (shipped only as WOFF2) drew nothing.
// Fix: re-encode every subset glyph as a plain TrueType simple glyph from its decoded contours
// (composites flattened), padded to an even length. Hinting instructions are dropped: PDF viewers
// and printers rasterise at high resolution where they do not matter.
import fontkit from "@pdf-lib/fontkit";

type Fontkit = typeof fontkit;
type FontkitFont = ReturnType<Fontkit["create"]>;

interface ContourPoint {
  onCurve: boolean;
  x: number;
  y: number;
}

interface GlyphLike {
  advanceWidth: number;
  _getContours(): ContourPoint[][];
  _getMetrics(): { leftBearing: number };
}

interface BufferCtor {
  from(bytes: Uint8Array): Uint8Array;
}

interface SubsetInternals {
  font: { getGlyph(id: number): GlyphLike; stream: { buffer: { constructor: BufferCtor } } };
  glyf: Uint8Array[];
  loca: { offsets: number[] };
  hmtx: { metrics: Array<{ advance: number; bearing: number }> };
  offset: number;
  _addGlyph(gid: number): number;
}

/** Encodes contours as a TrueType simple glyph record (all coordinates as 16-bit deltas). */
export function encodeSimpleGlyph(contours: ContourPoint[][]): Uint8Array {
  const points = contours.flat();
  if (points.length === 0) return new Uint8Array(0);
  const xs = points.map((p) => Math.round(p.x));
  const ys = points.map((p) => Math.round(p.y));
  const size = 10 + 2 * contours.length + 2 + points.length * 5;
  const out = new Uint8Array(size + (size % 2));
  const view = new DataView(out.buffer);
  let o = 0;
  const i16 = (v: number) => {
    view.setInt16(o, v);
    o += 2;
  };
  i16(contours.length);
  i16(Math.min(...xs));
  i16(Math.min(...ys));
  i16(Math.max(...xs));
  i16(Math.max(...ys));
  let end = -1;
  for (const contour of contours) {
    end += contour.length;
    view.setUint16(o, end);
    o += 2;
  }
  view.setUint16(o, 0); // no instructions
  o += 2;
  for (const p of points) out[o++] = p.onCurve ? 1 : 0;
  let last = 0;
  for (const x of xs) {
    i16(x - last);
    last = x;
  }
  last = 0;
  for (const y of ys) {
    i16(y - last);
    last = y;
  }
  return out;
}

function patchSubset(subset: SubsetInternals): void {
  const BufferClass = subset.font.stream.buffer.constructor;
  subset._addGlyph = function addGlyph(this: SubsetInternals, gid: number): number {
    const glyph = this.font.getGlyph(gid);
    const record = BufferClass.from(encodeSimpleGlyph(glyph._getContours()));
    this.glyf.push(record);
    this.loca.offsets.push(this.offset);
    this.hmtx.metrics.push({ advance: glyph.advanceWidth, bearing: glyph._getMetrics().leftBearing });
    this.offset += record.length;
    return this.glyf.length - 1;
  };
}

interface WoffInternals {
  directory: { tables: Record<string, { compLength?: number; length: number } | undefined> };
  _getTableStream(tag: string): { buffer: Uint8Array; constructor: new (buffer: Uint8Array) => unknown } | null;
}

/**
 * fontkit's WOFF reader inflates a whole table (with a pure-JS inflate) on every read, and it reads
 * `glyf` once per glyph measured: 80% of the time of a card. Keep each inflated table.
 */
function cacheWoffTables(font: WoffInternals): void {
  const read = font._getTableStream.bind(font);
  const inflated = new Map<string, { Stream: new (buffer: Uint8Array) => unknown; buffer: Uint8Array }>();
  font._getTableStream = (tag) => {
    const table = font.directory.tables[tag];
    // Uncompressed tables are read in place by the original method.
    if (!table || table.compLength === undefined || table.compLength >= table.length) return read(tag);
    const cached = inflated.get(tag);
    if (cached) return new cached.Stream(cached.buffer) as ReturnType<WoffInternals["_getTableStream"]>;
    const stream = read(tag);
    if (stream) inflated.set(tag, { Stream: stream.constructor, buffer: stream.buffer });
    return stream;
  };
}

// pdf-lib parses the font again for every document; parsing and inflating cost about a second per
// batch, so one parsed font serves every document (subsets stay per document).
const parsed = new WeakMap<Uint8Array, FontkitFont>();

/** A fontkit whose TrueType subsets are safe to embed; pass it to `PDFDocument.registerFontkit`. */
export const patchedFontkit: Fontkit = {
  ...fontkit,
  create(buffer: Uint8Array, postscriptName?: string): FontkitFont {
    const known = postscriptName === undefined ? parsed.get(buffer) : undefined;
    if (known) return known;
    const font = fontkit.create(buffer, postscriptName);
    if (postscriptName === undefined) parsed.set(buffer, font);
    // WOFF 1 files start with "wOFF".
    if (buffer[0] === 0x77 && buffer[1] === 0x4f && buffer[2] === 0x46 && buffer[3] === 0x46) cacheWoffTables(font as unknown as WoffInternals);
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset();
      // Only the TrueType subsetter has `_addGlyph`; CFF fonts use another one without these bugs.
      if (typeof (subset as unknown as Partial<SubsetInternals>)._addGlyph === "function") {
        patchSubset(subset as unknown as SubsetInternals);
      }
      return subset;
    };
    return font;
  },
};
