/** Splitting and assembling compact JWS strings without losing a byte. */
import { b64uDecodeStrict, b64uEncode, utf8Decode, utf8Encode } from "./bytes";

export interface JwsParts {
  /** The header JSON text exactly as signed. */
  header: string;
  /** The payload JSON text exactly as signed. */
  payload: string;
  signature: Uint8Array;
}

/**
 * Splits a compact JWS. Returns undefined unless each segment is canonical base64url and the
 * header and payload are UTF-8 text, so that `joinJws(splitJws(jwt))` gives back `jwt` exactly.
 */
export function splitJws(jwt: string): JwsParts | undefined {
  const segments = jwt.split(".");
  if (segments.length !== 3) return undefined;
  const [h, p, s] = segments as [string, string, string];
  const hb = b64uDecodeStrict(h);
  const pb = b64uDecodeStrict(p);
  const sb = b64uDecodeStrict(s);
  if (!hb || !pb || !sb || hb.length === 0 || pb.length === 0 || sb.length === 0) return undefined;
  try {
    const header = utf8Decode(hb);
    const payload = utf8Decode(pb);
    if (b64uEncode(utf8Encode(header)) !== h || b64uEncode(utf8Encode(payload)) !== p) return undefined;
    return { header, payload, signature: sb };
  } catch {
    return undefined;
  }
}

export function joinJws(parts: JwsParts): string {
  return `${b64uEncode(utf8Encode(parts.header))}.${b64uEncode(utf8Encode(parts.payload))}.${b64uEncode(parts.signature)}`;
}

/** JSON.parse that returns undefined instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
