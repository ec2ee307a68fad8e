import { b64url, utf8 } from "./b64";

/** Signs an arbitrary header + payload (tests build forgeries the real signers refuse to make). */
export async function signCompactForTest(
  headerB64: string,
  payload: unknown,
  privateKey: CryptoKey,
): Promise<string> {
  const input = `${headerB64}.${b64url(utf8(JSON.stringify(payload)))}`;
  const sig = new Uint8Array(
    await crypto.subtle.sign("Ed25519", privateKey, new TextEncoder().encode(input)),
  );
  return `${input}.${b64url(sig)}`;
}
