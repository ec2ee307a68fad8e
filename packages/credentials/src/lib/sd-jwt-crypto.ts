/**
 * The hash, salt and signer callbacks `@sd-jwt/*` takes, on Web Crypto SHA-256 and the `#crypto`
 * Ed25519 backend (internal: the public API is `./sd-jwt`).
 */
import { base64urlnopad } from "@scure/base";
import { backend } from "#crypto";
import type { SigningKey } from "../keys";

const encoder = new TextEncoder();

/** SHA-256 of a string (UTF-8) or bytes, as `@sd-jwt/*` wants its hasher. */
export const hasher = async (data: string | ArrayBuffer): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : data));

/** A fresh disclosure salt, base64url. */
export const saltGenerator = (length: number): string => base64urlnopad.encode(backend.randomBytes(length));

/** base64url(SHA-256(text)): a disclosure digest or a KB-JWT `sd_hash`. */
export const sha256b64 = async (text: string): Promise<string> => base64urlnopad.encode(await hasher(text));

/** A JWT NumericDate. */
export const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** An EdDSA signer over the JWS signing input with the key's private half. */
export function signerFor(key: SigningKey): (data: string) => Promise<string> {
  return async (data: string) => backend.signJws(data, key.privateKey);
}
