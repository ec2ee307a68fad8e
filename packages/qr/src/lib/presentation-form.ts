/**
 * Compact mode for a holder-signed presentation of one entitlement credential, in the canonical
 * forms of @haki/credentials/presentation: a VC 1.1 VP-JWT (iss = holder, optional aud, one-time
 * jti, iat, optional nonce, vp with the credential) or a VC 2.0 `vp+jwt` (holder, the enveloped
 * `vc+jwt`, the same JWT claims).
 */
import { W3C_CREDENTIALS_V1, W3C_CREDENTIALS_V2, JOSE_TYPES, type JwtCredentialFormat } from "@haki/credentials/model";
import {
  PRESENTATION_TYPE,
  PresentationJwtPayload,
  PresentationPayloadV2,
  envelopeCredential,
  serializePresentationPayload,
  serializePresentationPayloadV2,
  unwrapEnvelopedCredential,
} from "@haki/credentials/presentation";
import { joseHeader, type FieldProfile } from "./credential-form";
import { NotCompactable, decodeDid, decodeTime, encodeDid, encodeTime, fail, readOptString, readArray, type Cbor } from "./fields";
import { parseJson } from "./jws";

export const PRESENTATION_FIELD_COUNT = 6;

/** The inner credential JWT of a presentation payload text (VC 1.1 or VC 2.0), if it has exactly one. */
export function innerCredential(payloadText: string): string | undefined {
  const p = parseJson(payloadText) as { vp?: { verifiableCredential?: unknown }; verifiableCredential?: unknown } | undefined;
  const list = p?.vp ? p.vp.verifiableCredential : p?.verifiableCredential;
  if (!Array.isArray(list) || list.length !== 1) return undefined;
  const jwt = p?.vp ? list[0] : unwrapEnvelopedCredential(list[0]);
  return typeof jwt === "string" ? jwt : undefined;
}

interface PresentationInfo {
  holder: string;
  aud?: string;
  jti: string;
  iat: number;
  nonce?: string;
}

function readPresentation(payloadText: string, format: JwtCredentialFormat): PresentationInfo {
  const json = parseJson(payloadText);
  if (format === "vc2") {
    const parsed = PresentationPayloadV2.safeParse(json);
    if (!parsed.success) throw new NotCompactable("vp payload");
    const p = parsed.data;
    if (serializePresentationPayloadV2(p) !== payloadText || p["@context"].join() !== W3C_CREDENTIALS_V2 || p.type.join() !== PRESENTATION_TYPE) {
      throw new NotCompactable("vp not canonical");
    }
    return { holder: p.holder, aud: p.aud, jti: p.jti, iat: p.iat, nonce: p.nonce };
  }
  const parsed = PresentationJwtPayload.safeParse(json);
  if (!parsed.success) throw new NotCompactable("vp payload");
  const p = parsed.data;
  if (serializePresentationPayload(p) !== payloadText || p.vp["@context"].join() !== W3C_CREDENTIALS_V1 || p.vp.type.join() !== PRESENTATION_TYPE) {
    throw new NotCompactable("vp not canonical");
  }
  return { holder: p.iss, aud: p.aud, jti: p.jti, iat: p.iat, nonce: p.nonce };
}

/**
 * Compact fields of a presentation (without its credential), or NotCompactable. `holder` is the
 * credential's subject DID: when the presenter is the holder (the normal case) it costs nothing.
 */
export function compactPresentation(
  header: string,
  payloadText: string,
  holder: string | undefined,
  profile: FieldProfile,
  format: JwtCredentialFormat,
): Cbor[] {
  const p = readPresentation(payloadText, format);
  const kid = (parseJson(header) as { kid?: unknown } | undefined)?.kid;
  if (typeof kid !== "string" || !kid.startsWith(`${p.holder}#`) || joseHeader(kid, JOSE_TYPES[format].presentation) !== header) {
    throw new NotCompactable("vp header");
  }
  return [
    profile.keyFragment.encode(p.holder, kid.slice(p.holder.length + 1)),
    p.holder === holder ? null : encodeDid(p.holder, "jwk"),
    p.aud ?? null,
    profile.id.encode(p.jti),
    encodeTime(p.iat),
    encodeNonce(p.nonce, profile),
  ];
}

/**
 * A counter code (issue 12, relay: 4 digits the person types at the counter, signed in as the
 * nonce) is packed as a CBOR integer, 3 bytes instead of 5, which keeps the phone proof within QR
 * version 12-M; any other nonce as an id. One encoding per value: a 4-digit text is never read.
 */
const COUNTER_CODE = /^\d{4}$/;
function encodeNonce(nonce: string | undefined, profile: FieldProfile): Cbor {
  return nonce !== undefined && COUNTER_CODE.test(nonce) ? Number(nonce) : profile.id.encode(nonce);
}
function decodeNonce(v: unknown, profile: FieldProfile): string | undefined {
  if (typeof v === "number") {
    if (!Number.isInteger(v) || v < 0 || v > 9999) fail("nonce");
    return String(v).padStart(4, "0");
  }
  const nonce = profile.id.decode(v, "nonce");
  if (nonce !== undefined && COUNTER_CODE.test(nonce)) fail("nonce: not canonical");
  return nonce;
}

/** Header and payload text of the presentation, given its compact fields and the rebuilt credential JWT. */
export function expandPresentation(
  fields: readonly unknown[],
  credentialJwt: string,
  holder: string | undefined,
  profile: FieldProfile,
  format: JwtCredentialFormat,
): { header: string; payload: string } {
  const f = readArray(fields, "presentation", PRESENTATION_FIELD_COUNT);
  const iss = f[1] === null ? (holder ?? fail("presenter")) : decodeDid(f[1], "jwk", "presenter");
  if (f[1] !== null && iss === holder) fail("presenter: not canonical");
  const kid = `${iss}#${profile.keyFragment.decode(iss, f[0], "presentation key id")}`;
  const jti = profile.id.decode(f[3], "presentation id") ?? fail("presentation id");
  const claims = { aud: readOptString(f[2], "audience"), jti, iat: decodeTime(f[4], "presented at"), nonce: decodeNonce(f[5], profile) };
  const payload =
    format === "vc2"
      ? serializePresentationPayloadV2({
          "@context": [W3C_CREDENTIALS_V2],
          type: [PRESENTATION_TYPE],
          holder: iss,
          verifiableCredential: [envelopeCredential(credentialJwt)],
          ...claims,
        })
      : serializePresentationPayload({
          iss,
          ...claims,
          vp: { "@context": [W3C_CREDENTIALS_V1], type: [PRESENTATION_TYPE], verifiableCredential: [credentialJwt] },
        });
  return { header: joseHeader(kid, JOSE_TYPES[format].presentation), payload };
}
