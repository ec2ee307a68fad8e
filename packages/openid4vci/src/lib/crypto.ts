// Web Crypto only: this module is bundled by the wallet as well as run by the issuer.

const encoder = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function base64urlDecode(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** 256 bits of randomness, base64url: pre-authorised codes, access tokens, nonces. */
export function randomToken(): string {
  return base64url(randomBytes(32));
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", data as BufferSource));
}

/** Lower-case hex SHA-256 of a UTF-8 string: what stores keep instead of codes, PINs and tokens. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await sha256(encoder.encode(text));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Compares two strings without an early exit, so the time taken does not tell how many leading
 * characters matched. Meant for equal-length digests; a length mismatch returns false at once,
 * which leaks only the length (public for a SHA-256 hex digest).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
