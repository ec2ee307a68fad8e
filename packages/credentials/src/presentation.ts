/**
 * Presentations: the holder's phone signs one credential with its own key, with a creation time and
 * a one-time id, so a verifier with no network can refuse a screenshot (stale) or a second scan of
 * the same code (replayed), and knows the phone holds the key the credential names.
 *
 * VP-JWT (VC 1.1 JWT encoding): `iss` = holder DID, `jti` = one-time id, `iat` = creation time,
 * optional `nonce`/`aud`, `vp` = { @context, type, verifiableCredential: [vcJwt] }. Like credentials,
 * the payload has one canonical byte form (`serializePresentationPayload`) for the QR codec.
 */
import * as z from "zod";
import { keyIdForDid, publicJwkFromDid } from "./did";
import { KeyInvalidError, KeyMismatchError } from "./errors";
import type { SigningKey } from "./keys";
import { decodeCompact, randomId, signCompact, verifyCompactSignature } from "./lib/jws";
import { HolderDid, W3C_CREDENTIALS_V1 } from "./model";
import type { TrustList } from "./trust";
import {
  checkHeader,
  fail,
  verifyDecodedCredential,
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
    iss: p.iss,
    aud: p.aud,
    jti: p.jti,
    iat: p.iat,
    nonce: p.nonce,
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
  if (vc && vc.payload.sub !== undefined && vc.payload.sub !== holder) {
    throw new KeyMismatchError("This card belongs to another holder key.");
  }
  const payload = buildPresentationPayload({ credential, holder, ...options });
  return signCompact(serializePresentationPayload(payload), holderKey.kid, holderKey.privateKey);
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
  try {
    return await verifyPresentationUnsafe(typeof vpJwt === "string" ? vpJwt.trim() : vpJwt, trust, options);
  } catch (cause) {
    return fail("ERR_MALFORMED", undefined, undefined, cause);
  }
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
  const parsed = PresentationJwtPayload.safeParse(jws.payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail("ERR_MALFORMED", undefined, issue ? { path: issue.path.join("."), message: issue.message } : undefined, parsed.error);
  }
  const vp = parsed.data;
  let holderJwk;
  try {
    holderJwk = publicJwkFromDid(vp.iss);
  } catch (cause) {
    return fail("ERR_MALFORMED", undefined, { holder: vp.iss }, cause);
  }
  const kid = jws.header.kid;
  if (kid !== undefined && kid !== keyIdForDid(vp.iss) && kid !== `#${keyIdForDid(vp.iss).split("#")[1]}`) {
    return fail("ERR_HOLDER_BINDING", undefined, { kid: String(kid), holder: vp.iss });
  }
  if (!(await verifyCompactSignature(jws, holderJwk))) return fail("ERR_SIGNATURE_INVALID");

  const vcJwt = vp.vp.verifiableCredential[0] ?? "";
  const vc = decodeCompact(vcJwt);
  if (!vc) return fail("ERR_MALFORMED");
  if (vc.payload.sub === undefined) {
    return fail("ERR_HOLDER_BINDING", "This card is not bound to a phone; check it as a paper card.");
  }
  if (vc.payload.sub !== vp.iss) return fail("ERR_HOLDER_BINDING", undefined, { holder: vp.iss });

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
  if (options.isReplay && (await options.isReplay(vp.jti, vp.iss))) return fail("ERR_PRESENTATION_REPLAYED", undefined, { id: vp.jti });

  const credential = await verifyDecodedCredential(vc, trust, options, true);
  if (!credential.valid) return credential;
  const presentation: PresentationSuccess["presentation"] = { id: vp.jti, holder: vp.iss, createdAt: new Date(vp.iat * 1000) };
  if (vp.nonce !== undefined) presentation.nonce = vp.nonce;
  return { ...credential, presentation };
}
