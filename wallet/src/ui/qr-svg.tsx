/**
 * Draws a QR code as one SVG path (crisp at any size, black on white, 4-module quiet zone).
 * Error correction L: the payload is a few hundred characters and phones show it on a clean screen,
 * so the smallest symbol (biggest modules) scans best.
 */
import type { JSX } from "preact";
import { create } from "qrcode";

/** The SVG path data and size (in modules, quiet zone included) of a QR code for `text`. */
export function qrPath(text: string): { d: string; size: number } {
  const qr = create(text, { errorCorrectionLevel: "L" });
  const n = qr.modules.size;
  const quiet = 4;
  let d = "";
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      if (qr.modules.get(x, y)) d += `M${x + quiet} ${y + quiet}h1v1h-1z`;
    }
  }
  return { d, size: n + 2 * quiet };
}

export function QrCode(props: { text: string; label: string }): JSX.Element {
  const { d, size } = qrPath(props.text);
  return (
    <svg
      class="qr"
      viewBox={`0 0 ${size} ${size}`}
      role="img"
      aria-label={props.label}
      shape-rendering="crispEdges"
      data-payload-length={props.text.length}
    >
      <rect width={size} height={size} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
