/**
 * What the person sees on a card: decoded from the stored credential (VC 1.1 VC-JWT, VC 2.0
 * `vc+jwt` or SD-JWT VC `dc+sd-jwt`, validated against the entitlement model) plus the last known
 * status.
 */
import { didWebForUrl } from "@haki/credentials/did";
import { EntitlementJwtPayload, EntitlementSubject } from "@haki/credentials/model";
import { readEntitlementCredential } from "@haki/credentials/verify";
import { fromBase64Url } from "@haki/secure-store/crypto";
import { z } from "zod";
import type { KnownStatus, StoredCredential } from "./schemas";

export type CardState = "active" | "suspended" | "revoked" | "expired" | "not-yet-valid" | "used-up";

/** How a stored card is secured: VC 1.1 JWT, VC 2.0 `vc+jwt`, or SD-JWT VC. */
export type CardFormat = "vc1" | "vc2" | "dc+sd-jwt";

/** What a stored card says, in one shape whatever its format (the VC 1.1 claims view). */
export type CardPayload = EntitlementJwtPayload & { format: CardFormat };

/** The format of a stored credential, by its shape (an SD-JWT carries `~`-separated disclosures). */
export function cardFormat(credential: string): CardFormat | undefined {
  if (credential.includes("~")) return "dc+sd-jwt";
  return readEntitlementCredential(credential)?.format;
}

/**
 * The subject's members an SD-JWT VC carries at its top level, read from the model's own list (the
 * registered claims around them are left out; an ID binding is never issued in this format).
 */
const SdJwtSubject = z.object(EntitlementSubject.omit({ idBinding: true }).shape);

const json = (part: string): unknown => JSON.parse(new TextDecoder().decode(fromBase64Url(part)));

/**
 * An SD-JWT VC's claims with every disclosure the wallet holds put back (the issuer gave them all;
 * their digests were checked against the signed `_sd` list on receipt).
 */
function decodeSdJwtVc(sdJwt: string): CardPayload | undefined {
  const [jwt, ...disclosures] = sdJwt.split("~");
  const claims = json(jwt!.split(".")[1] ?? "") as Record<string, unknown>;
  const disclosed: Record<string, unknown> = {};
  for (const d of disclosures) {
    if (!d) continue; // the trailing "~", or an empty KB-JWT slot
    const decoded = json(d);
    if (Array.isArray(decoded) && decoded.length === 3 && typeof decoded[1] === "string") disclosed[decoded[1]] = decoded[2];
  }
  const { _sd, _sd_alg, ...plain } = { ...claims, ...disclosed };
  void _sd;
  void _sd_alg;
  const subject = SdJwtSubject.safeParse(plain);
  const iss = typeof plain.iss === "string" ? didWebForUrl(plain.iss) : undefined;
  if (!subject.success || !iss || typeof plain.nbf !== "number" || typeof plain.exp !== "number") return undefined;
  return {
    format: "dc+sd-jwt",
    iss,
    nbf: plain.nbf,
    exp: plain.exp,
    ...(typeof plain.iat === "number" ? { iat: plain.iat } : {}),
    // The status of an SD-JWT VC is a Token Status List entry, not Bitstring entries.
    vc: { "@context": [], type: ["VerifiableCredential", "EntitlementCredential"], credentialSubject: subject.data, credentialStatus: [] } as unknown as EntitlementJwtPayload["vc"],
  };
}

/**
 * Decodes (without verifying) a stored entitlement credential of any of the three formats into
 * one view; `undefined` if it is not one. Verification happens once, on receipt; the wallet does
 * not re-trust what it decodes here.
 *
 * @example
 * const payload = decodeEntitlement(stored.jwt);
 * payload?.format; // "vc2"
 */
export function decodeEntitlement(credential: string): CardPayload | undefined {
  try {
    if (credential.includes("~")) return decodeSdJwtVc(credential);
    const read = readEntitlementCredential(credential);
    return read ? { ...read.payload, format: read.format } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The card's state at `now`: revoked beats suspended beats expired beats not yet valid beats used
 * up (the office said nothing is left after its hand-overs).
 *
 * @example
 * cardState(payload, stored.status, new Date(), stored.office) // "active"
 */
export function cardState(payload: EntitlementJwtPayload, status: KnownStatus | undefined, now: Date, office?: StoredCredential["office"]): CardState {
  if (status?.revoked) return "revoked";
  if (status?.suspended) return "suspended";
  const t = now.getTime() / 1000;
  if (t >= payload.exp) return "expired";
  if (t < payload.nbf) return "not-yet-valid";
  if (office && office.card.left <= 0) return "used-up";
  return "active";
}
