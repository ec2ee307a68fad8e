/**
 * Presentations: the holder's phone signs one credential with its own key, with a creation time and
 * a one-time id, so a verifier with no network can refuse a screenshot (stale) or a second scan of
 * the same code (replayed), and knows the phone holds the key the credential names.
 *
 * Two formats, matching the credential's:
 * - VC 1.1 VP-JWT: `iss` = holder DID, `jti` = one-time id, `iat` = creation time, optional
 *   `nonce`/`aud`, `vp` = { @context, type, verifiableCredential: [vcJwt] }.
 * - VC 2.0 `vp+jwt` (VC-JOSE-COSE): the presentation itself as the claims set, { @context, type,
 *   holder, verifiableCredential: [an EnvelopedVerifiableCredential whose id is
 *   `data:application/vc+jwt,<vc+jwt>`] }, with the JWT claims `jti`, `iat`, optional `aud`/`nonce`.
 * Like credentials, each payload has one canonical byte form for the QR codec.
 */
import * as z from "zod";
import { keyIdForDid, publicJwkFromDid } from "./did";
import { KeyInvalidError, KeyMismatchError } from "./errors";
import type { SigningKey } from "./keys";
import { decodeCompact, randomId, signCompact, verifyCompactSignature, type DecodedJws } from "./lib/jws";
import { HolderDid, JOSE_TYPES, W3C_CREDENTIALS_V1, W3C_CREDENTIALS_V2, type JwtCredentialFormat } from "./model";
import { inKeyOrder } from "./lib/key-order";
import type { TrustList } from "./trust";
import {
  checkHeader,
  credentialFormatOf,
  fail,
  joseType,
  neverThrows,
  verifyDecodedCredential,
  type VerificationFailure,
  type VerificationResult,
  type VerificationSuccess,
  type VerifyCredentialOptions,
} from "./lib/verify-core";

export const PRESENTATION_TYPE = "VerifiablePresentation";

/** A one-time id: 8 to 64 URL-safe characters (Haki makes 16, i.e. 96 random bits). */
export const PresentationId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "one-time id: 8-64 URL-safe characters");

export const PresentationJwtPayload = z.object({
  iss: HolderDid,
  aud: z.string().min(1).max(200).optional(),
  jti: PresentationId,
  iat: z.number().int().nonnegative(),
  nonce: z.string().min(1).max(128).optional(),
  vp: z.object({
    "@context": z.array(z.string()).refine((c) => c[0] === W3C_CREDENTIALS_V1, "must start with the W3C credentials v1 context"),
    type: z.array(z.string()).refine((t) => t.includes(PRESENTATION_TYPE), "must be a VerifiablePresentation"),
    verifiableCredential: z.array(z.string().min(1)).length(1),
  }),
});
export type PresentationJwtPayload = z.infer<typeof PresentationJwtPayload>;

export const ENVELOPED_CREDENTIAL_TYPE = "EnvelopedVerifiableCredential";
/** The `id` prefix of an enveloped `vc+jwt` (an RFC 2397 data URL). */
export const VC_JWT_DATA_URL_PREFIX = "data:application/vc+jwt,";

const oneOrMany = (value: string) =>
  z.union([z.literal(value), z.array(z.string()).refine((a) => a.includes(value), `must include ${value}`)]);

/** An EnvelopedVerifiableCredential holding a `vc+jwt` (VC-JOSE-COSE 3.2, VCDM 2.0 4.13.1). */
export const EnvelopedJwtCredential = z.object({
  "@context": z.union([z.literal(W3C_CREDENTIALS_V2), z.array(z.string()).refine((c) => c[0] === W3C_CREDENTIALS_V2)]),
  id: z.string().startsWith(VC_JWT_DATA_URL_PREFIX).max(64_000),
  type: oneOrMany(ENVELOPED_CREDENTIAL_TYPE),
});
export type EnvelopedJwtCredential = z.infer<typeof EnvelopedJwtCredential>;

/** The claims set of a VC 2.0 `vp+jwt`: the presentation itself plus the JWT claims jti, iat, aud, nonce. */
export const PresentationPayloadV2 = z.object({
  "@context": z.array(z.string()).refine((c) => c[0] === W3C_CREDENTIALS_V2, "must start with the W3C credentials v2 context"),
  type: z.array(z.string()).refine((t) => t.includes(PRESENTATION_TYPE), "must be a VerifiablePresentation"),
  holder: HolderDid,
  verifiableCredential: z.array(EnvelopedJwtCredential).length(1),
  aud: z.string().min(1).max(200).optional(),
  jti: PresentationId,
  iat: z.number().int().nonnegative(),
  nonce: z.string().min(1).max(128).optional(),
  vp: z.never().optional(),
  vc: z.never().optional(),
});
export type PresentationPayloadV2 = z.infer<typeof PresentationPayloadV2>;

/**
 * Wraps a `vc+jwt` as an EnvelopedVerifiableCredential (what a VC 2.0 presentation and the VC-API carry).
 *
 * @example
 * envelopeCredential(vcJwt); // { "@context": "https://www.w3.org/ns/credentials/v2", id: "data:application/vc+jwt,eyJ...", type: "EnvelopedVerifiableCredential" }
 */
export function envelopeCredential(vcJwt: string): EnvelopedJwtCredential {
  return { "@context": W3C_CREDENTIALS_V2, id: `${VC_JWT_DATA_URL_PREFIX}${vcJwt}`, type: ENVELOPED_CREDENTIAL_TYPE };
}

/**
 * The `vc+jwt` inside an EnvelopedVerifiableCredential (or a bare JWT string), undefined otherwise.
 *
 * @example
 * unwrapEnvelopedCredential({ id: "data:application/vc+jwt,eyJ...", ... }); // "eyJ..."
 */
export function unwrapEnvelopedCredential(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  const parsed = EnvelopedJwtCredential.safeParse(value);
  return parsed.success ? parsed.data.id.slice(VC_JWT_DATA_URL_PREFIX.length) : undefined;
}

export interface PresentationInput {
  /** The credential (VC-JWT) being shown. */
  credential: string;
  /** Holder DID (did:key or did:jwk). */
  holder: string;
  /** Creation time (default now). */
  now?: Date;
  /** One-time id (default 16 random URL-safe characters). */
  id?: string;
  /** A challenge the verifier showed, when there is a two-way exchange. */
  nonce?: string;
  audience?: string;
}

/**
 * Builds the canonical payload of a presentation of one credential.
 *
 * @example
 * const payload = buildPresentationPayload({ credential: vcJwt, holder: holder.did, now: new Date() });
 */
export function buildPresentationPayload(input: PresentationInput): PresentationJwtPayload {
  return canonicalizePresentationPayload(
    PresentationJwtPayload.parse({
      iss: input.holder,
      aud: input.audience,
      jti: input.id ?? randomId(),
      iat: Math.floor((input.now ?? new Date()).getTime() / 1000),
      nonce: input.nonce,
      vp: { "@context": [W3C_CREDENTIALS_V1], type: [PRESENTATION_TYPE], verifiableCredential: [input.credential] },
    }),
  );
}

/**
 * Rebuilds a presentation payload with its keys in canonical order. Pure; does not validate.
 *
 * @example
 * const bytes = JSON.stringify(canonicalizePresentationPayload(decodedPayload));
 */
export function canonicalizePresentationPayload(p: PresentationJwtPayload): PresentationJwtPayload {
  return {
    ...inKeyOrder(p, ["iss", "aud", "jti", "iat", "nonce"]),
    vp: {
      "@context": [...p.vp["@context"]],
      type: [...p.vp.type],
      verifiableCredential: [...p.vp.verifiableCredential],
    },
  };
}

/**
 * The exact JSON text a holder signs for a presentation payload.
 *
 * @example
 * serializePresentationPayload(payload); // '{"iss":"did:key:...","jti":"...","iat":1803...,"vp":{...}}'
 */
export function serializePresentationPayload(p: PresentationJwtPayload): string {
  return JSON.stringify(canonicalizePresentationPayload(p));
}

/**
 * Builds the canonical claims set of a VC 2.0 presentation (`vp+jwt`) of one `vc+jwt`.
 *
 * @example
 * const payload = buildPresentationPayloadV2({ credential: vcJwt, holder: holder.did, nonce });
 */
export function buildPresentationPayloadV2(input: PresentationInput): PresentationPayloadV2 {
  return canonicalizePresentationPayloadV2(
    PresentationPayloadV2.parse({
      "@context": [W3C_CREDENTIALS_V2],
      type: [PRESENTATION_TYPE],
      holder: input.holder,
      verifiableCredential: [envelopeCredential(input.credential)],
      aud: input.audience,
      jti: input.id ?? randomId(),
      iat: Math.floor((input.now ?? new Date()).getTime() / 1000),
      nonce: input.nonce,
    }),
  );
}

/**
 * A VC 2.0 presentation's claims in canonical member order (enveloped credentials in their short
 * form: string context and type). Pure; does not validate.
 *
 * @example
 * JSON.stringify(canonicalizePresentationPayloadV2(decoded));
 */
export function canonicalizePresentationPayloadV2(p: PresentationPayloadV2): PresentationPayloadV2 {
  return {
    "@context": [...p["@context"]],
    type: [...p.type],
    holder: p.holder,
    verifiableCredential: p.verifiableCredential.map((e) => envelopeCredential(e.id.slice(VC_JWT_DATA_URL_PREFIX.length))),
    aud: p.aud,
    jti: p.jti,
    iat: p.iat,
    nonce: p.nonce,
  };
}

/**
 * The exact JSON text a holder signs for a VC 2.0 presentation.
 *
 * @example
 * serializePresentationPayloadV2(buildPresentationPayloadV2({ credential, holder }));
 */
export function serializePresentationPayloadV2(p: PresentationPayloadV2): string {
  return JSON.stringify(canonicalizePresentationPayloadV2(p));
}

function holderOf(key: SigningKey): string {
  const did = key?.kid?.split("#")[0];
  if (!did || !key.privateKey) throw new KeyInvalidError("A holder key needs kid and privateKey.");
  return did;
}

/**
 * Signs a presentation of one credential with the holder's key. Throws `ERR_KEY_MISMATCH` when the
 * credential names another holder.
 *
 * @example
 * const vp = await signPresentation(vcJwt, holderKey, { nonce });
 */
export async function signPresentation(
  credential: string,
  holderKey: SigningKey,
  options: { now?: Date; nonce?: string; id?: string; audience?: string } = {},
): Promise<string> {
  const holder = holderOf(holderKey);
  const vc = decodeCompact(credential);
  const format = vc ? credentialFormatOf(vc) : undefined;
  const named = vc && format === "vc2" ? credentialSubjectId(vc.payload) : vc?.payload.sub;
  if (named !== undefined && named !== holder) {
    throw new KeyMismatchError("This card belongs to another holder key.");
  }
  if (format === "vc2") {
    const payload = buildPresentationPayloadV2({ credential, holder, ...options });
    return signCompact(serializePresentationPayloadV2(payload), holderKey.kid, holderKey.privateKey, JOSE_TYPES.vc2.presentation);
  }
  const payload = buildPresentationPayload({ credential, holder, ...options });
  return signCompact(serializePresentationPayload(payload), holderKey.kid, holderKey.privateKey);
}

function credentialSubjectId(payload: Record<string, unknown>): unknown {
  const s = payload.credentialSubject;
  return typeof s === "object" && s !== null ? (s as Record<string, unknown>).id : undefined;
}

/** Both presentation formats, reduced to what the checks need. */
interface PresentationClaims {
  format: JwtCredentialFormat;
  holder: string;
  aud?: string;
  jti: string;
  iat: number;
  nonce?: string;
  credentialJwt: string;
}

function parsePresentationClaims(jws: DecodedJws): PresentationClaims | VerificationFailure {
  const v2 = joseType(jws.header) === JOSE_TYPES.vc2.presentation || (!("vp" in jws.payload) && "@context" in jws.payload);
  const parsed = v2 ? PresentationPayloadV2.safeParse(jws.payload) : PresentationJwtPayload.safeParse(jws.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail("ERR_MALFORMED", undefined, issue ? { path: issue.path.join("."), message: issue.message } : undefined, parsed.error);
  }
  const p = parsed.data;
  const common = { jti: p.jti, iat: p.iat, ...(p.aud !== undefined ? { aud: p.aud } : {}), ...(p.nonce !== undefined ? { nonce: p.nonce } : {}) };
  if ("holder" in p) return { format: "vc2", holder: p.holder, credentialJwt: unwrapEnvelopedCredential(p.verifiableCredential[0]) ?? "", ...common };
  return { format: "vc1", holder: p.iss, credentialJwt: p.vp.verifiableCredential[0] ?? "", ...common };
}

export interface VerifyPresentationOptions extends VerifyCredentialOptions {
  /** How old a presentation may be, in seconds (default 120). */
  maxAgeSeconds?: number;
  /**
   * True when this one-time id was already accepted. Only look; record the id after a success
   * (`result.presentation.id`), so a refused code does not use up a good one.
   */
  isReplay?: (id: string, holder: string) => boolean | Promise<boolean>;
  /** The challenge this verifier issued, if any: the presentation must carry it. */
  nonce?: string;
  /** The audience this verifier expects, if any. */
  audience?: string;
}

export interface PresentationSuccess extends VerificationSuccess {
  presentation: { id: string; holder: string; createdAt: Date; nonce?: string };
}

export type PresentationVerificationResult = PresentationSuccess | Exclude<VerificationResult, VerificationSuccess>;

/**
 * Verifies a holder's presentation offline: holder signature, holder = credential subject,
 * freshness, nonce, replay, then the credential itself.
 *
 * @example
 * const r = await verifyPresentation(vpJwt, trust, { maxAgeSeconds: 120, isReplay: (id) => seen.has(id) });
 * if (r.valid) seen.add(r.presentation.id);
 */
export async function verifyPresentation(
  vpJwt: string,
  trust: TrustList,
  options: VerifyPresentationOptions = {},
): Promise<PresentationVerificationResult> {
  return neverThrows(() => verifyPresentationUnsafe(typeof vpJwt === "string" ? vpJwt.trim() : vpJwt, trust, options));
}

async function verifyPresentationUnsafe(
  vpJwt: string,
  trust: TrustList,
  options: VerifyPresentationOptions,
): Promise<PresentationVerificationResult> {
  const jws = decodeCompact(vpJwt);
  if (!jws) return fail("ERR_MALFORMED");
  const headerFailure = checkHeader(jws.header);
  if (headerFailure) return headerFailure;
  const vp = parsePresentationClaims(jws);
  if ("code" in vp) return vp;
  let holderJwk;
  try {
    holderJwk = publicJwkFromDid(vp.holder);
  } catch (cause) {
    return fail("ERR_MALFORMED", undefined, { holder: vp.holder }, cause);
  }
  const kid = jws.header.kid;
  if (kid !== undefined && kid !== keyIdForDid(vp.holder) && kid !== `#${keyIdForDid(vp.holder).split("#")[1]}`) {
    return fail("ERR_HOLDER_BINDING", undefined, { kid: String(kid), holder: vp.holder });
  }
  if (!(await verifyCompactSignature(jws, holderJwk))) return fail("ERR_SIGNATURE_INVALID");

  const vc = decodeCompact(vp.credentialJwt);
  if (!vc) return fail("ERR_MALFORMED");
  // A VC 2.0 presentation envelopes a vc+jwt; a VC 1.1 one carries a VC 1.1 JWT.
  const vcFormat = credentialFormatOf(vc);
  if (vcFormat !== undefined && vcFormat !== vp.format) return fail("ERR_MALFORMED", undefined, { credential: vcFormat, presentation: vp.format });
  const bound = vcFormat === "vc2" ? credentialSubjectId(vc.payload) : vc.payload.sub;
  if (bound === undefined) {
    return fail("ERR_HOLDER_BINDING", "This card is not bound to a phone; check it as a paper card.");
  }
  if (bound !== vp.holder) return fail("ERR_HOLDER_BINDING", undefined, { holder: vp.holder });

  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.clockToleranceSeconds ?? 60;
  const maxAge = options.maxAgeSeconds ?? 120;
  if (vp.iat > now + tolerance) {
    return fail("ERR_PRESENTATION_STALE", "This code was made in the future: check the phone's clock.", { createdAt: new Date(vp.iat * 1000).toISOString() });
  }
  if (now - vp.iat > maxAge + tolerance) {
    return fail("ERR_PRESENTATION_STALE", undefined, { createdAt: new Date(vp.iat * 1000).toISOString() });
  }
  if (options.nonce !== undefined && vp.nonce !== options.nonce) return fail("ERR_NONCE_MISMATCH");
  if (options.audience !== undefined && vp.aud !== options.audience) return fail("ERR_NONCE_MISMATCH", undefined, { audience: String(vp.aud) });
  if (options.isReplay && (await options.isReplay(vp.jti, vp.holder))) return fail("ERR_PRESENTATION_REPLAYED", undefined, { id: vp.jti });

  const credential = await verifyDecodedCredential(vc, trust, options, true);
  if (!credential.valid) return credential;
  const presentation: PresentationSuccess["presentation"] = { id: vp.jti, holder: vp.holder, createdAt: new Date(vp.iat * 1000) };
  if (vp.nonce !== undefined) presentation.nonce = vp.nonce;
  return { ...credential, presentation };
}
