/** The KB-JWT check: the holder of `cnf` signed these disclosures, for this verifier, just now. */
import * as z from "zod";
import { ACCEPTED_ALGS, decodeCompact, verifyCompactSignature } from "../lib/jws";
import type { Ed25519PublicJwk } from "../lib/jwk";
import { sha256b64 } from "../lib/sd-jwt-crypto";
import { fail, joseType } from "../lib/verify-core";
import { KB_JWT_TYPE } from "./constants";
import { shownWithoutKeyBinding, type PresentationParts } from "./split-presentation";
import type { SdJwtVerificationFailure, VerifySdJwtVcOptions } from "./verify-types";

const KbPayload = z.object({ iat: z.number().int(), aud: z.string().min(1), nonce: z.string().min(1), sd_hash: z.string().min(1) });

export type KeyBinding = { audience: string; nonce: string; createdAt: Date };

/**
 * Checks the KB-JWT: `typ`, holder signature, `sd_hash` over exactly the disclosures shown, fresh
 * `iat`, `aud`, `nonce`, and the nonce not used before. Undefined when there is none and none is
 * required.
 *
 * @example
 * const kb = await checkKeyBinding(parts, claims.cnf.jwk, now, 60, { audience, nonce });
 */
export async function checkKeyBinding(
  parts: PresentationParts,
  holderJwk: Ed25519PublicJwk,
  now: number,
  tolerance: number,
  options: VerifySdJwtVcOptions,
): Promise<KeyBinding | SdJwtVerificationFailure | undefined> {
  if (!parts.kbJwt) return options.requireKeyBinding === false ? undefined : fail("ERR_KEY_BINDING_MISSING");
  const kb = decodeCompact(parts.kbJwt);
  if (!kb) return fail("ERR_KEY_BINDING_INVALID");
  const alg = kb.header.alg;
  if (typeof alg !== "string" || !ACCEPTED_ALGS.has(alg) || kb.header.crit !== undefined) return fail("ERR_ALG_UNSUPPORTED", undefined, { alg: String(alg) });
  if (joseType(kb.header) !== KB_JWT_TYPE) return fail("ERR_KEY_BINDING_INVALID", undefined, { typ: String(kb.header.typ) });
  if (!(await verifyCompactSignature(kb, holderJwk))) return fail("ERR_KEY_BINDING_INVALID");
  const p = KbPayload.safeParse(kb.payload);
  if (!p.success) return fail("ERR_KEY_BINDING_INVALID", undefined, undefined, p.error);
  // sd_hash covers the issuer-signed JWT and exactly the disclosures shown, in order.
  if (p.data.sd_hash !== (await sha256b64(shownWithoutKeyBinding(parts)))) return fail("ERR_KEY_BINDING_INVALID", undefined, { sd_hash: "mismatch" });
  const maxAge = options.maxAgeSeconds ?? 120;
  if (p.data.iat > now + tolerance) return fail("ERR_PRESENTATION_STALE", "This code was made in the future: check the phone's clock.");
  if (now - p.data.iat > maxAge + tolerance) return fail("ERR_PRESENTATION_STALE");
  if (options.audience !== undefined && p.data.aud !== options.audience) return fail("ERR_NONCE_MISMATCH", undefined, { audience: p.data.aud });
  if (options.nonce !== undefined && p.data.nonce !== options.nonce) return fail("ERR_NONCE_MISMATCH", undefined, { nonce: "mismatch" });
  if (options.nonceStore && !(await options.nonceStore.useNonce(p.data.nonce, new Date(now * 1000)))) return fail("ERR_PRESENTATION_REPLAYED", undefined, { nonce: p.data.nonce });
  return { audience: p.data.aud, nonce: p.data.nonce, createdAt: new Date(p.data.iat * 1000) };
}
