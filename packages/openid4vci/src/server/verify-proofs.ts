/** The holder's key proofs of a credential request, all checked before anything is signed. */
import { didJwkFromPublicJwk } from "@haki/credentials/did";
import type { Jwk } from "@openid4vc/oauth2";
import { Openid4vciIssuer, type IssuerMetadataResult } from "@openid4vc/openid4vci";
import { IssuanceError } from "../errors";
import { serverCallbacks } from "../lib/callbacks";
import type { IssuanceDeps } from "./deps";

export interface ProvenHolders {
  /** The one nonce every proof carries. */
  nonce: string;
  keys: { did: string; jwk: Jwk }[];
}

/**
 * Checks every proof of a request (any failure refuses the whole request: no partial issuance):
 * signature, typ, aud, fresh iat, one nonce shared by all, a different key per proof.
 * @example
 * const { nonce, keys } = await verifyProofs(parsed.proofs.jwt, { deps, metadata, now });
 */
export async function verifyProofs(
  jwts: readonly string[],
  ctx: { deps: Pick<IssuanceDeps, "proofMaxAgeSeconds" | "clockSkewSeconds">; metadata: IssuerMetadataResult; now: Date },
): Promise<ProvenHolders> {
  const issuer = new Openid4vciIssuer({ callbacks: serverCallbacks });
  const nowSeconds = Math.floor(ctx.now.getTime() / 1000);
  const keys: { did: string; jwk: Jwk }[] = [];
  let nonce: string | undefined;
  for (const jwt of jwts) {
    let verified;
    try {
      verified = await issuer.verifyCredentialRequestJwtProof({ issuerMetadata: ctx.metadata, jwt, now: ctx.now });
    } catch (cause) {
      throw new IssuanceError("ERR_INVALID_PROOF", { cause });
    }
    const { payload, signer } = verified;
    if (payload.iat < nowSeconds - (ctx.deps.proofMaxAgeSeconds ?? 300) || payload.iat > nowSeconds + (ctx.deps.clockSkewSeconds ?? 60)) {
      throw new IssuanceError("ERR_INVALID_PROOF", { detail: "The proof's iat is not fresh." });
    }
    if (!payload.nonce) throw new IssuanceError("ERR_INVALID_NONCE");
    if (nonce !== undefined && payload.nonce !== nonce) throw new IssuanceError("ERR_INVALID_PROOF", { detail: "All proofs of a batch carry the same nonce." });
    nonce = payload.nonce;
    const did = signer.method === "did" ? (signer.didUrl.split("#")[0] as string) : holderDidFromJwk(signer.publicJwk);
    if (keys.some((k) => k.did === did)) throw new IssuanceError("ERR_INVALID_PROOF", { detail: "Each proof of a batch uses its own key." });
    keys.push({ did, jwk: signer.publicJwk });
  }
  return { nonce: nonce as string, keys };
}

function holderDidFromJwk(jwk: Jwk): string {
  if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.x !== "string") {
    throw new IssuanceError("ERR_INVALID_PROOF", { detail: "Only Ed25519 holder keys are supported." });
  }
  return didJwkFromPublicJwk({ kty: "OKP", crv: "Ed25519", x: jwk.x });
}
