/** The holder's side: a presentation showing only the chosen claims, bound to the holder key. */
import { SDJwt } from "@sd-jwt/core";
import { SDJwtVcInstance } from "@sd-jwt/sd-jwt-vc";
import type { PresentationFrame } from "@sd-jwt/types";
import { publicJwkFromDid } from "../did";
import { KeyInvalidError, KeyMismatchError } from "../errors";
import type { SigningKey } from "../keys";
import { hasher, seconds, signerFor } from "../lib/sd-jwt-crypto";
import type { DisclosableClaim } from "./constants";

/**
 * The holder's presentation: the issuer-signed JWT, the disclosures of the chosen claims, and a
 * KB-JWT (`typ: kb+jwt`, EdDSA with the holder key) over them with the verifier's audience and nonce.
 *
 * @example
 * const shown = await presentSdJwtVc(sdJwt, holderKey, { disclose: ["programme", "cycle", "benefit"],
 *   audience: "sp-demo-nairobi", nonce });
 */
export async function presentSdJwtVc(
  sdJwt: string,
  holderKey: SigningKey,
  options: { disclose: readonly DisclosableClaim[]; audience: string; nonce: string; now?: Date },
): Promise<string> {
  if (!holderKey?.privateKey) throw new KeyInvalidError("A holder key needs kid and privateKey.");
  const cnf = (await SDJwt.extractJwt(sdJwt)).payload?.cnf as { jwk?: { x?: unknown } } | undefined;
  const own = publicJwkFromDid(holderKey.kid.split("#")[0]!);
  if (cnf?.jwk?.x !== own.x) throw new KeyMismatchError("This card belongs to another holder key.");
  const frame = Object.fromEntries(options.disclose.map((k) => [k, true])) as PresentationFrame<Record<string, unknown>>;
  const sdjwt = new SDJwtVcInstance({ hasher, hashAlg: "sha-256", kbSigner: signerFor(holderKey), kbSignAlg: "EdDSA" });
  return sdjwt.present(sdJwt, frame, { kb: { payload: { iat: seconds(options.now ?? new Date()), aud: options.audience, nonce: options.nonce } } });
}
