/**
 * Compact mode for a holder-signed VP-JWT of one entitlement VC-JWT, in the canonical form of
 * @haki/credentials/presentation: iss = holder DID, optional aud, one-time jti, iat, optional nonce,
 * vp with the VC 1.1 context, the VerifiablePresentation type and the credential.
 */
import { W3C_CREDENTIALS_V1 } from "@haki/credentials/model";
import {
  PRESENTATION_TYPE,
  PresentationJwtPayload,
  serializePresentationPayload,
} from "@haki/credentials/presentation";
import { joseHeader } from "./credential-form";
import {
  NotCompactable,
  decodeDid,
  decodeId,
  decodeKeyFragment,
  decodeTime,
  encodeDid,
  encodeId,
  encodeKeyFragment,
  encodeTime,
  fail,
  readOptString,
  readArray,
  type Cbor,
} from "./fields";
import { parseJson } from "./jws";

export const PRESENTATION_FIELD_COUNT = 6;

/** The inner VC-JWT of a VP payload text, if it has exactly one. */
export function innerCredential(payloadText: string): string | undefined {
  const p = parseJson(payloadText) as { vp?: { verifiableCredential?: unknown } } | undefined;
  const list = p?.vp?.verifiableCredential;
  return Array.isArray(list) && list.length === 1 && typeof list[0] === "string" ? list[0] : undefined;
}

/**
 * Compact fields of a VP (without its credential), or NotCompactable. `holder` is the credential's
 * subject DID: when the presenter is the holder (the normal case) the VP issuer costs nothing.
 */
export function compactPresentation(header: string, payloadText: string, holder: string | undefined): Cbor[] {
  const parsed = PresentationJwtPayload.safeParse(parseJson(payloadText));
  if (!parsed.success) throw new NotCompactable("vp payload");
  const p = parsed.data;
  if (serializePresentationPayload(p) !== payloadText) throw new NotCompactable("vp not canonical");
  if (p.vp["@context"].join() !== W3C_CREDENTIALS_V1 || p.vp.type.join() !== PRESENTATION_TYPE) {
    throw new NotCompactable("vp context or type");
  }
  const kid = (parseJson(header) as { kid?: unknown } | undefined)?.kid;
  if (typeof kid !== "string" || !kid.startsWith(`${p.iss}#`) || joseHeader(kid) !== header) {
    throw new NotCompactable("vp header");
  }
  return [
    encodeKeyFragment(p.iss, kid.slice(p.iss.length + 1)),
    p.iss === holder ? null : encodeDid(p.iss, "jwk"),
    p.aud ?? null,
    encodeId(p.jti),
    encodeTime(p.iat),
    encodeId(p.nonce),
  ];
}

/** Header and payload text of the VP, given its compact fields and the rebuilt credential JWT. */
export function expandPresentation(
  fields: readonly unknown[],
  credentialJwt: string,
  holder: string | undefined,
): { header: string; payload: string } {
  const f = readArray(fields, "presentation", PRESENTATION_FIELD_COUNT);
  const iss = f[1] === null ? (holder ?? fail("presenter")) : decodeDid(f[1], "jwk", "presenter");
  if (f[1] !== null && iss === holder) fail("presenter: not canonical");
  const kid = `${iss}#${decodeKeyFragment(iss, f[0], "presentation key id")}`;
  const jti = decodeId(f[3], "presentation id") ?? fail("presentation id");
  const payload = serializePresentationPayload({
    iss,
    aud: readOptString(f[2], "audience"),
    jti,
    iat: decodeTime(f[4], "presented at"),
    nonce: decodeId(f[5], "nonce"),
    vp: { "@context": [W3C_CREDENTIALS_V1], type: [PRESENTATION_TYPE], verifiableCredential: [credentialJwt] },
  });
  return { header: joseHeader(kid), payload };
}
