/**
 * App icons drawn in code (no downloaded assets): a white check mark on the verifier's green, as
 * PNG (RGBA, deflate via fflate). Used by the Vite config at build time.
 */
import { zlibSync } from "fflate";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** Distance from point p to segment a-b. */
function segmentDistance(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/**
 * A square PNG icon of `size` pixels; `maskable` keeps the mark inside the 80% safe zone.
 *
 * @example
 * writeFileSync("icon-192.png", renderIconPng(192));
 */
export function renderIconPng(size: number, maskable = false): Uint8Array {
  const raw = new Uint8Array(size * (size * 4 + 1));
  const scale = maskable ? 0.7 : 0.9;
  const s = (v: number) => size / 2 + (v - 0.5) * size * scale;
  const [ax, ay, bx, by, cx, cy] = [s(0.22), s(0.52), s(0.42), s(0.72), s(0.8), s(0.3)];
  const stroke = size * scale * 0.09;
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0;
    for (let x = 0; x < size; x++) {
      const d = Math.min(
        segmentDistance(x + 0.5, y + 0.5, ax, ay, bx, by),
        segmentDistance(x + 0.5, y + 0.5, bx, by, cx, cy),
      );
      const ink = Math.max(0, Math.min(1, stroke - d + 0.5));
      const i = row + 1 + x * 4;
      raw[i] = Math.round(11 + (255 - 11) * ink);
      raw[i + 1] = Math.round(122 + (255 - 122) * ink);
      raw[i + 2] = Math.round(46 + (255 - 46) * ink);
      raw[i + 3] = 255;
    }
  }
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, size);
  hv.setUint32(4, size);
  header.set([8, 6, 0, 0, 0], 8);
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    chunk("IHDR", header),
    chunk("IDAT", zlibSync(raw, { level: 9 })),
    chunk("IEND", new Uint8Array(0)),
  ];
  return Buffer.concat(parts);
}
