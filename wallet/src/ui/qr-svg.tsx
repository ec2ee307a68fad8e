/**
 * The proof's QR code, drawn by @haki/qr/render (one rendering choice for all of Haki: error
 * correction M, 4-module quiet zone, black on white) as SVG, so it stays crisp at any size.
 */
import type { JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { renderQrSvg } from "@haki/qr/render";

export function QrCode(props: { text: string; label: string }): JSX.Element {
  const [svg, setSvg] = useState<string>();
  useEffect(() => {
    let alive = true;
    void renderQrSvg(props.text).then((s) => alive && setSvg(s));
    return () => {
      alive = false;
    };
  }, [props.text]);
  // The SVG text comes from the QR renderer (paths only), never from user input.
  return <div class="qr" role="img" aria-label={props.label} data-payload-length={props.text.length} dangerouslySetInnerHTML={svg ? { __html: svg } : undefined} />;
}
