/**
 * Enrolment of a verifier device: the set-up code the issuer shows a service point operator, and
 * the request/response the device exchanges with the issuer once.
 *
 * Set-up code text: `HAKI-SETUP:1:<base64url of JSON SetupPayload>`, fits a QR code or can be
 * pasted. It pins the trust bundle's signing key by its RFC 7638 thumbprint, so a device that
 * reached a wrong server during set-up refuses its bundle.
 */
import { BindingKey } from "@haki/id-binding/model";
import * as z from "zod";
import { SetupCodeError } from "./codes";
import { b64url, fromB64url, fromUtf8, utf8 } from "./lib/b64";

const PREFIX = "HAKI-SETUP:1:";

export const SetupPayload = z.object({
  /** Base URL of the issuer (https, or http on localhost for tests). */
  issuer: z.string().url(),
  /** One-time enrolment code, valid for a short time at the issuer. */
  code: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  /** RFC 7638 SHA-256 thumbprint of the key that signs trust bundles. */
  bundleKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  /** Service point the code was made for (shown before enrolling, checked in the response). */
  servicePoint: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
});
export type SetupPayload = z.infer<typeof SetupPayload>;

/** Public JWK of an Ed25519 key (OKP). */
export const PublicJwk = z.object({
  kty: z.literal("OKP"),
  crv: z.literal("Ed25519"),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  kid: z.string().min(1).max(200).optional(),
});
export type PublicJwk = z.infer<typeof PublicJwk>;

/** `POST {issuer}/api/verifier/enrol` body. */
export const EnrolmentRequest = z.object({
  code: SetupPayload.shape.code,
  servicePoint: SetupPayload.shape.servicePoint,
  /** The device's own receipt-signing public key; the private key never leaves the device. */
  deviceKey: PublicJwk,
  /** A label the operator typed, e.g. "Counter 2". */
  deviceLabel: z.string().trim().min(1).max(60).optional(),
});
export type EnrolmentRequest = z.infer<typeof EnrolmentRequest>;

/** The issuer's answer to an enrolment request. */
export const EnrolmentResponse = z.object({
  /** Id the issuer gives the device; receipts carry it. */
  deviceId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
  servicePoint: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
  /** The signed trust bundle (compact JWS, see trust-bundle.ts). */
  bundle: z.string().min(1),
  /**
   * The binding keys of the programmes this service point serves that bind paper cards to national
   * IDs (`@haki/id-binding`): secret, so given only to an enrolled device, never in the bundle.
   */
  bindingKeys: z.array(BindingKey).max(200).optional(),
});
export type EnrolmentResponse = z.infer<typeof EnrolmentResponse>;

/**
 * What an enrolled device posts to `ISSUER_ENDPOINTS.bindingKeys` at a refresh: a short-lived proof
 * signed with its enrolled key for that URL (`signRelayOpening` of `@haki/openid4vp/relay-auth`).
 * A device enrolled before a programme it serves turned binding on gets the key this way.
 */
export const BindingKeysRequest = z.object({ proof: z.string().min(1).max(2000) });
export type BindingKeysRequest = z.infer<typeof BindingKeysRequest>;

/** The issuer's answer: every binding key of the bound programmes the device's service point serves now (none: empty). */
export const BindingKeysResponse = z.object({ bindingKeys: z.array(BindingKey).max(200) });
export type BindingKeysResponse = z.infer<typeof BindingKeysResponse>;

/** Where the device fetches things once enrolled, all relative to the issuer URL. */
export const ISSUER_ENDPOINTS = {
  enrol: "/api/verifier/enrol",
  trustBundle: "/api/verifier/trust-bundle",
  receipts: "/api/verifier/receipts",
  /** POST { proof } -> { bindingKeys }: the binding keys of the bound programmes the device's service point serves now. */
  bindingKeys: "/api/verifier/binding-keys",
  /**
   * POST { proof, cursor? } -> { handOvers, cursor, more }: hand-overs other devices recorded for
   * the programmes the device's service point serves (`./hand-over-feed`).
   */
  handOvers: "/api/verifier/hand-overs",
} as const;

/**
 * Encodes a set-up code (the issuer shows it as a QR code or text).
 *
 * @example
 * encodeSetupCode({ issuer: "https://pay.example.org", code: "x7Kp2Q", bundleKey, servicePoint: "sp-12" });
 * // "HAKI-SETUP:1:eyJpc3N1ZXIiOi..."
 */
export function encodeSetupCode(payload: SetupPayload): string {
  return PREFIX + b64url(utf8(JSON.stringify(SetupPayload.parse(payload))));
}

/**
 * Reads a scanned or pasted set-up code. Throws `SetupCodeError` (ERR_SETUP_CODE_INVALID).
 *
 * @example
 * const { issuer, code } = parseSetupCode(text.trim());
 */
export function parseSetupCode(text: string): SetupPayload {
  const t = text.trim();
  if (!t.startsWith(PREFIX)) throw new SetupCodeError("Not a Haki set-up code");
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(fromB64url(t.slice(PREFIX.length))));
  } catch (cause) {
    throw new SetupCodeError("The set-up code is damaged", { cause });
  }
  const r = SetupPayload.safeParse(json);
  if (!r.success) throw new SetupCodeError("The set-up code is incomplete", { cause: r.error });
  return r.data;
}
