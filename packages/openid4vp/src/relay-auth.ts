/**
 * How an enrolled verifier device proves itself when it opens a relay request: a short-lived JWS
 * signed with its device key (the same Ed25519 key the issuer enrolled and checks receipts with),
 * for the relay's own URL. Only enrolled devices can make the relay hold anything.
 */
import { CompactSign, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { Openid4vpError } from "./errors";

export const RELAY_OPEN_TYP = "haki-relay-open+jwt";
/** How far the device's clock may be from the issuer's. */
const SKEW_SECONDS = 120;

const enc = new TextEncoder();

/**
 * @example
 * const proof = await signRelayOpening({ deviceId, privateKey }, "https://issuer.example/api/openid4vp/requests");
 */
export async function signRelayOpening(device: { deviceId: string; privateKey: CryptoKey }, audience: string, now = new Date()): Promise<string> {
  const payload = { aud: audience, iat: Math.floor(now.getTime() / 1000), sub: device.deviceId };
  return new CompactSign(enc.encode(JSON.stringify(payload))).setProtectedHeader({ alg: "EdDSA", typ: RELAY_OPEN_TYP, kid: device.deviceId }).sign(device.privateKey);
}

/**
 * Checks a device's opening proof; returns the device id. `ERR_RELAY_FORBIDDEN` for an unknown or
 * revoked device, a wrong signature, another audience or a stale proof.
 *
 * @example
 * const deviceId = await verifyRelayOpening(proof, (id) => deviceKey(ctx, id), `${base}/requests`);
 */
export async function verifyRelayOpening(
  proof: string,
  deviceKey: (deviceId: string) => Promise<JWK | undefined> | JWK | undefined,
  audience: string,
  now = new Date(),
): Promise<string> {
  const forbidden = (cause?: unknown) => new Openid4vpError("ERR_RELAY_FORBIDDEN", "This device is not allowed to open requests.", cause ? { cause } : undefined);
  let kid: unknown;
  try {
    const header = decodeProtectedHeader(proof);
    if (header.typ !== RELAY_OPEN_TYP || header.alg !== "EdDSA") throw new Error("not a relay opening");
    kid = header.kid;
  } catch (cause) {
    throw forbidden(cause);
  }
  if (typeof kid !== "string" || kid.length === 0 || kid.length > 128) throw forbidden();
  const jwk = await deviceKey(kid);
  if (!jwk) throw forbidden();
  let payload: { aud?: unknown; iat?: unknown; sub?: unknown };
  try {
    const verified = await compactVerify(proof, await importJWK(jwk, "EdDSA"), { algorithms: ["EdDSA"] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as typeof payload;
  } catch (cause) {
    throw forbidden(cause);
  }
  const seconds = now.getTime() / 1000;
  if (payload.aud !== audience || payload.sub !== kid || typeof payload.iat !== "number" || Math.abs(seconds - payload.iat) > SKEW_SECONDS) throw forbidden();
  return kid;
}
