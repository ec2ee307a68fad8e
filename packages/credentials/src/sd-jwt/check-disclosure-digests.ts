/** RFC 9901's disclosure check by hand, so a changed disclosure is refused before the library reads it. */
import { base64urlnopad } from "@scure/base";
import { sha256b64 } from "../lib/sd-jwt-crypto";

/**
 * The hand check of RFC 9901 section 7.1: each disclosure's SHA-256 appears exactly once among the
 * digests of the payload (and of disclosed values), and each decodes to [salt, name, value]
 * (object members) or [salt, value] (array elements). A changed disclosure has another digest.
 *
 * @example
 * if (!(await checkDisclosureDigests(jws.payload, disclosures))) return fail("ERR_DISCLOSURE_INVALID");
 */
export async function checkDisclosureDigests(payload: Record<string, unknown>, disclosures: readonly string[]): Promise<boolean> {
  const digests = await digestDisclosures(disclosures);
  if (!digests) return false;
  const found = new Set<string>();
  return visit(payload, digests, found) && found.size === digests.size;
}

/** digest -> decoded disclosure; undefined when one is malformed or two share a digest. */
async function digestDisclosures(disclosures: readonly string[]): Promise<Map<string, unknown[]> | undefined> {
  const digests = new Map<string, unknown[]>();
  for (const d of disclosures) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64urlnopad.decode(d)));
    } catch {
      return undefined;
    }
    if (!Array.isArray(decoded) || (decoded.length !== 2 && decoded.length !== 3) || typeof decoded[0] !== "string") return undefined;
    if (decoded.length === 3 && (typeof decoded[1] !== "string" || ["_sd", "...", "_sd_alg"].includes(decoded[1]))) return undefined;
    const digest = await sha256b64(d);
    if (digests.has(digest)) return undefined;
    digests.set(digest, decoded);
  }
  return digests;
}

/** Walks the payload: every digest referenced at most once, every referenced disclosure well placed. */
function visit(node: unknown, digests: Map<string, unknown[]>, found: Set<string>): boolean {
  if (Array.isArray(node)) return node.every((item) => visitArrayItem(item, digests, found));
  if (typeof node !== "object" || node === null) return true;
  const obj = node as Record<string, unknown>;
  for (const digest of Array.isArray(obj._sd) ? obj._sd : []) {
    if (typeof digest !== "string" || found.has(digest)) return false;
    const d = digests.get(digest);
    if (!d) continue; // a decoy, or a claim not disclosed
    if (d.length !== 3 || (d[1] as string) in obj) return false;
    found.add(digest);
    if (!visit(d[2], digests, found)) return false;
  }
  return Object.entries(obj).every(([k, v]) => k === "_sd" || visit(v, digests, found));
}

function visitArrayItem(item: unknown, digests: Map<string, unknown[]>, found: Set<string>): boolean {
  const ref = typeof item === "object" && item !== null && !Array.isArray(item) && Object.keys(item).length === 1 ? (item as Record<string, unknown>)["..."] : undefined;
  if (typeof ref !== "string") return visit(item, digests, found);
  if (found.has(ref)) return false;
  const d = digests.get(ref);
  if (!d) return true;
  if (d.length !== 2) return false;
  found.add(ref);
  return visit(d[1], digests, found);
}
