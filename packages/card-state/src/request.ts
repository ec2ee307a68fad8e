/**
 * The request a wallet sends to learn about its own cards: a compact JWS signed with the holder key
 * the cards are bound to (EdDSA, `typ: haki-card-state+jwt`), naming the programme office it is for
 * (`aud`), when it was made (`iat`, accepted for two minutes) and a one-time id (`jti`, which the
 * office remembers, so a captured request cannot be replayed). The office answers only for cards
 * bound to that holder key: nothing about anyone else.
 */
import { HolderDid } from "@haki/credentials/model";
import { publicJwkFromDid } from "@haki/credentials/did";
import { base64url, CompactSign, compactVerify, decodeProtectedHeader, importJWK } from "jose";
import * as z from "zod";
import { CardStateError } from "./errors";

export const CARD_STATE_TYP = "haki-card-state+jwt";
/** The office's route, relative to its public URL. */
export const CARD_STATE_PATH = "/api/wallet/card-state";
/** How old a request may be (and how far ahead of the office's clock). */
export const CARD_STATE_MAX_AGE_SECONDS = 120;

export const CardStateRequest = z.object({
  /** The holder DID (did:key or did:jwk) whose key signed the request. */
  iss: HolderDid,
  /** The programme office's public URL, without a trailing slash. */
  aud: z.string().url(),
  iat: z.number().int().nonnegative(),
  jti: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  /** Credential ids (`jti` of the cards), at most 20. */
  credentials: z.array(z.string().min(1).max(200)).min(1).max(20),
});
export type CardStateRequest = z.infer<typeof CardStateRequest>;

const trimSlash = (url: string) => url.replace(/\/+$/, "");

const randomId = () => base64url.encode(crypto.getRandomValues(new Uint8Array(18)));

/**
 * Signs a request for the state of `credentials` with the holder key.
 *
 * @example
 * const jws = await signCardStateRequest({ holder: { did, kid, privateKey }, audience: "https://pay.example.org", credentials: [id] });
 * await fetch(`https://pay.example.org${CARD_STATE_PATH}`, { method: "POST", body: JSON.stringify({ request: jws }), headers: { "content-type": "application/json" } });
 */
export async function signCardStateRequest(args: {
  holder: { did: string; kid: string; privateKey: CryptoKey };
  audience: string;
  credentials: string[];
  now?: Date;
}): Promise<string> {
  const payload: CardStateRequest = CardStateRequest.parse({
    iss: args.holder.did,
    aud: trimSlash(args.audience),
    iat: Math.floor((args.now ?? new Date()).getTime() / 1000),
    jti: randomId(),
    credentials: args.credentials,
  });
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: "EdDSA", typ: CARD_STATE_TYP, kid: args.holder.kid })
    .sign(args.holder.privateKey);
}

/**
 * Checks a request: its shape, the holder's signature (the key its `iss` DID names), that it is
 * for this office and at most two minutes old. Replays are the caller's to refuse (remember `jti`
 * until `iat` + 2 x max age). Throws `CardStateError`.
 *
 * @example
 * const request = await verifyCardStateRequest(jws, { audience: env.HAKI_PUBLIC_URL, now: new Date() });
 */
export async function verifyCardStateRequest(
  jws: string,
  options: { audience: string; now: Date; maxAgeSeconds?: number },
): Promise<CardStateRequest> {
  let header;
  try {
    header = decodeProtectedHeader(jws);
  } catch (cause) {
    throw new CardStateError("ERR_CARD_STATE_REQUEST_INVALID", "Not a compact JWS", { cause });
  }
  if (header.typ !== CARD_STATE_TYP || header.alg !== "EdDSA") throw new CardStateError("ERR_CARD_STATE_REQUEST_INVALID", "Not a card-state request");
  let claims: CardStateRequest;
  try {
    const [, body] = jws.split(".");
    claims = CardStateRequest.parse(JSON.parse(new TextDecoder().decode(base64url.decode(body ?? ""))));
  } catch (cause) {
    throw new CardStateError("ERR_CARD_STATE_REQUEST_INVALID", "The request's claims are not valid", { cause });
  }
  try {
    const key = await importJWK({ ...publicJwkFromDid(claims.iss) }, "EdDSA");
    await compactVerify(jws, key, { algorithms: ["EdDSA"] });
  } catch (cause) {
    throw new CardStateError("ERR_CARD_STATE_SIGNATURE_INVALID", "The request is not signed by its holder key", { cause });
  }
  if (claims.aud !== trimSlash(options.audience)) throw new CardStateError("ERR_CARD_STATE_AUDIENCE", "The request is for another programme office");
  const age = options.now.getTime() / 1000 - claims.iat;
  const max = options.maxAgeSeconds ?? CARD_STATE_MAX_AGE_SECONDS;
  if (age > max || age < -max) throw new CardStateError("ERR_CARD_STATE_REQUEST_STALE", "The request is too old, or made with a wrong clock");
  return claims;
}
