/** Cuts `<issuer JWT>~<disclosure>~...~<KB-JWT?>` into its parts (internal to the verifier). */
import { decodeCompact, type DecodedJws } from "../lib/jws";

export interface PresentationParts {
  jws: DecodedJws;
  issuerJwt: string;
  disclosures: string[];
  kbJwt?: string;
}

/**
 * The parts of a compact SD-JWT (with or without KB-JWT); undefined when it is not one.
 *
 * @example
 * const parts = splitPresentation(shown); // { jws, issuerJwt, disclosures: [...], kbJwt }
 */
export function splitPresentation(presentation: string): PresentationParts | undefined {
  const parts = presentation.split("~");
  if (parts.length < 2) return undefined;
  const issuerJwt = parts[0]!;
  const last = parts.at(-1)!;
  const disclosures = parts.slice(1, -1);
  if (disclosures.some((d) => d.length === 0 || !/^[A-Za-z0-9_-]+$/.test(d))) return undefined;
  const jws = decodeCompact(issuerJwt);
  return jws ? { jws, issuerJwt, disclosures, ...(last ? { kbJwt: last } : {}) } : undefined;
}

/** The SD-JWT as shown without its KB-JWT (`<jwt>~d1~...~`): what `sd_hash` covers. */
export function shownWithoutKeyBinding(parts: PresentationParts): string {
  return `${parts.issuerJwt}~${parts.disclosures.map((d) => `${d}~`).join("")}`;
}
