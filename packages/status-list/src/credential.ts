/**
 * The status list credential: a BitstringStatusListCredential in the VC Data Model 1.1 JWT shape
 * (the same securing mechanism as Haki's entitlement credentials, as the spec's §3.6 advises),
 * signed with EdDSA over Ed25519 by jose.
 *
 * JWT claims carry what VC-JWT 1.1 maps: `iss` = issuer, `jti` = the credential id, which is the URL
 * the list is published at (the entries' `statusListCredential`), `nbf` = issuanceDate, `exp` =
 * expirationDate. `vc.credentialSubject` holds the list.
 */
import { SignJWT, errors as joseErrors, importJWK, jwtVerify, type CryptoKey, type JWK } from "jose";
import * as z from "zod";
import { IssuerDid, StatusPurpose, W3C_CREDENTIALS_V1 } from "@haki/credentials/model";
import type { StatusList } from "./bitstring";
import { decodeStatusList, encodeStatusList, type DecodeOptions } from "./encoding";
import {
  StatusListCredentialInvalidError,
  StatusListError,
  StatusListExpiredError,
  StatusListIssuerMismatchError,
  StatusListKeyError,
  StatusListNotYetValidError,
  StatusListSignatureError,
  StatusListUrlMismatchError,
  StatusPurposeMismatchError,
} from "./errors";

/** JSON-LD context of Bitstring Status List terms for VC Data Model 1.1 credentials. */
export const STATUS_LIST_CONTEXT_V1 = "https://www.w3.org/ns/credentials/status/v1";
export const STATUS_LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential";
export const STATUS_LIST_SUBJECT_TYPE = "BitstringStatusList";

/** `vc.credentialSubject` of a status list credential (spec §2.2). */
export const StatusListSubject = z.object({
  /** `<list URL>#list`. */
  id: z.string().url(),
  type: z.literal(STATUS_LIST_SUBJECT_TYPE),
  /** Haki publishes one purpose per list; other issuers may list several. */
  statusPurpose: z.union([StatusPurpose, z.array(StatusPurpose).min(1)]),
  encodedList: z.string().startsWith("u", 'must be multibase base64url ("u" prefix)'),
  /** Time to live in milliseconds before a refresh should be attempted (spec §2.2). */
  ttl: z.number().int().positive().optional(),
});
export type StatusListSubject = z.infer<typeof StatusListSubject>;

/** JWT payload of a status list credential. */
export const StatusListJwtPayload = z.object({
  iss: IssuerDid,
  /** The URL the credential is published at; entries point here. */
  jti: z.string().url(),
  iat: z.number().int().nonnegative(),
  nbf: z.number().int().nonnegative().optional(),
  exp: z.number().int().positive().optional(),
  vc: z.object({
    "@context": z.array(z.string()).refine((c) => c[0] === W3C_CREDENTIALS_V1, {
      message: "must start with the W3C credentials v1 context",
    }),
    type: z
      .array(z.string())
      .refine((t) => t.includes("VerifiableCredential") && t.includes(STATUS_LIST_CREDENTIAL_TYPE), {
        message: "must be VerifiableCredential and BitstringStatusListCredential",
      }),
    credentialSubject: StatusListSubject,
  }),
});
export type StatusListJwtPayload = z.infer<typeof StatusListJwtPayload>;

/** What an issuer supplies to publish one list. */
export const StatusListCredentialInput = z
  .object({
    /** Where the credential is published (HTTPS in production). */
    url: z.string().url(),
    issuer: IssuerDid,
    purpose: StatusPurpose,
    /** Defaults to now. */
    issuedAt: z.date().optional(),
    /** Becomes `exp`: after it verifiers refuse the list and fetch a new one. */
    validUntil: z.date().optional(),
    /** Becomes `credentialSubject.ttl` (milliseconds): how long verifiers may cache it. */
    ttlMs: z.number().int().positive().optional(),
  })
  .refine((i) => !i.validUntil || !i.issuedAt || i.validUntil.getTime() > i.issuedAt.getTime(), {
    message: "validUntil must be after issuedAt",
    path: ["validUntil"],
  });
export type StatusListCredentialInput = z.input<typeof StatusListCredentialInput> & { list: StatusList };

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

function invalid(error: z.ZodError, what: string): StatusListCredentialInvalidError {
  const first = error.issues[0];
  const where = first?.path.length ? ` (${first.path.join(".")})` : "";
  return new StatusListCredentialInvalidError(`${what}: ${first?.message ?? "invalid"}${where}.`, { cause: error });
}

/**
 * Builds the JWT payload of a status list credential, with the list encoded.
 *
 * @example
 * const payload = buildStatusListCredential({
 *   url: "https://issuer.example/status/r/1", issuer: "did:web:issuer.example",
 *   purpose: "revocation", list, validUntil: tomorrow, ttlMs: 3_600_000,
 * });
 */
export function buildStatusListCredential(input: StatusListCredentialInput): StatusListJwtPayload {
  const parsed = StatusListCredentialInput.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error, "Status list credential input is invalid");
  const i = parsed.data;
  const issuedAt = seconds(i.issuedAt ?? new Date());
  const payload: StatusListJwtPayload = {
    iss: i.issuer,
    jti: i.url,
    iat: issuedAt,
    nbf: issuedAt,
    ...(i.validUntil ? { exp: seconds(i.validUntil) } : {}),
    vc: {
      "@context": [W3C_CREDENTIALS_V1, STATUS_LIST_CONTEXT_V1],
      type: ["VerifiableCredential", STATUS_LIST_CREDENTIAL_TYPE],
      credentialSubject: {
        id: `${i.url}#list`,
        type: STATUS_LIST_SUBJECT_TYPE,
        statusPurpose: i.purpose,
        encodedList: encodeStatusList(input.list),
        ...(i.ttlMs ? { ttl: i.ttlMs } : {}),
      },
    },
  };
  if (payload.exp !== undefined && payload.exp <= issuedAt) {
    throw new StatusListCredentialInvalidError("Status list credential input is invalid: validUntil must be after issuedAt.");
  }
  return payload;
}

/** A key as Web Crypto gives it, or as a JWK (OKP / Ed25519). */
export type Ed25519Key = CryptoKey | JWK;

function isCryptoKey(key: Ed25519Key): key is CryptoKey {
  return typeof (key as CryptoKey).algorithm === "object" && typeof (key as CryptoKey).type === "string";
}

async function toKey(key: Ed25519Key, use: "sign" | "verify"): Promise<CryptoKey> {
  if (isCryptoKey(key)) {
    const wanted = use === "sign" ? "private" : "public";
    if (key.algorithm.name !== "Ed25519" || key.type !== wanted) {
      throw new StatusListKeyError(`Status lists are signed with Ed25519: expected an Ed25519 ${wanted} key.`);
    }
    return key;
  }
  if (key.kty !== "OKP" || key.crv !== "Ed25519" || typeof key.x !== "string") {
    throw new StatusListKeyError("Status lists are signed with Ed25519: expected an OKP JWK with crv Ed25519.");
  }
  if (use === "sign" && typeof key.d !== "string") {
    throw new StatusListKeyError("Signing needs the private key (the JWK has no \"d\").");
  }
  const jwk: JWK = use === "sign" ? key : { kty: "OKP", crv: "Ed25519", x: key.x };
  try {
    const imported = await importJWK(jwk, "EdDSA");
    if (imported instanceof Uint8Array) throw new TypeError("symmetric key");
    return imported;
  } catch (cause) {
    throw new StatusListKeyError("The Ed25519 key could not be read.", { cause });
  }
}

/** did:key keys have one verification method, named after the key itself. */
function defaultKid(issuer: string): string | undefined {
  return issuer.startsWith("did:key:") ? `${issuer}#${issuer.slice("did:key:".length)}` : undefined;
}

/** A Haki signing key (`@haki/credentials/keys`): the private key and its JWS key id. */
export interface StatusListSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

function isSigningKey(key: Ed25519Key | StatusListSigningKey): key is StatusListSigningKey {
  return typeof (key as StatusListSigningKey).kid === "string" && typeof (key as StatusListSigningKey).privateKey === "object";
}

/**
 * Signs a status list credential payload as a compact JWS (EdDSA / Ed25519). The key is a Haki key
 * pair (its `kid` goes in the header and must belong to the issuer), a Web Crypto private key or a
 * private JWK (then `options.kid`, or the did:key's own key id).
 *
 * @example
 * const jwt = await signStatusListCredential(payload, issuerKeyPair); // from @haki/credentials/keys
 * const jwt2 = await signStatusListCredential(payload, privateJwk, { kid: "did:web:issuer.example#key-1" });
 */
export async function signStatusListCredential(
  payload: StatusListJwtPayload,
  key: Ed25519Key | StatusListSigningKey,
  options: { kid?: string } = {},
): Promise<string> {
  const parsed = StatusListJwtPayload.safeParse(payload);
  if (!parsed.success) throw invalid(parsed.error, "Status list credential is invalid");
  const signingKey = isSigningKey(key) ? key.privateKey : key;
  const kid = options.kid ?? (isSigningKey(key) ? key.kid : defaultKid(parsed.data.iss));
  if (kid !== undefined && kid.startsWith("did:") && !kid.startsWith(`${parsed.data.iss}#`)) {
    throw new StatusListKeyError(`The key ${kid} does not belong to the list's issuer ${parsed.data.iss}.`);
  }
  const privateKey = await toKey(signingKey, "sign");
  return new SignJWT(parsed.data as unknown as Record<string, unknown>)
    .setProtectedHeader({ alg: "EdDSA", typ: "JWT", ...(kid ? { kid } : {}) })
    .sign(privateKey);
}

export interface VerifyStatusListOptions extends DecodeOptions {
  /** The time to check `exp` / `nbf` against. Defaults to now. */
  now?: Date;
  /** Allowed clock difference in seconds between issuer and this device. Defaults to 300. */
  clockToleranceSeconds?: number;
  /** Expected issuer DID (the issuer of the credentials that point at this list). */
  issuer?: string;
  /** Expected URL (the entry's `statusListCredential`). */
  url?: string;
  /** Expected purpose (the entry's `statusPurpose`). */
  purpose?: StatusPurpose;
}

/** A status list credential whose signature, dates and shape were checked. */
export interface VerifiedStatusList {
  url: string;
  issuer: string;
  purposes: StatusPurpose[];
  list: StatusList;
  issuedAt: Date;
  /** From `exp`, when the issuer set one. */
  validUntil?: Date;
  /** From `credentialSubject.ttl`, in milliseconds. */
  ttlMs?: number;
  payload: StatusListJwtPayload;
}

/**
 * Verifies a status list credential JWT with the issuer's public key, then decodes its list.
 *
 * @throws StatusListSignatureError, StatusListExpiredError, StatusListNotYetValidError,
 *   StatusListCredentialInvalidError, StatusListIssuerMismatchError, StatusListUrlMismatchError,
 *   StatusPurposeMismatchError, and the decoding errors of {@link decodeStatusList}.
 * @example
 * const verified = await verifyStatusListCredential(jwt, issuerPublicJwk, {
 *   issuer: "did:web:issuer.example", url: entry.statusListCredential, purpose: "revocation",
 * });
 * getStatus(verified.list, Number(entry.statusListIndex));
 */
export async function verifyStatusListCredential(
  jwt: string,
  publicKey: Ed25519Key,
  options: VerifyStatusListOptions = {},
): Promise<VerifiedStatusList> {
  const now = options.now ?? new Date();
  const tolerance = options.clockToleranceSeconds ?? 300;
  const key = await toKey(publicKey, "verify");
  if (typeof jwt !== "string" || jwt.trim().split(".").length !== 3) {
    throw new StatusListCredentialInvalidError("This is not a signed status list (a JWT has three parts).");
  }
  let claims: unknown;
  try {
    const result = await jwtVerify(jwt.trim(), key, {
      algorithms: ["EdDSA", "Ed25519"],
      currentDate: now,
      clockTolerance: tolerance,
    });
    claims = result.payload;
  } catch (cause) {
    throw mapJoseError(cause);
  }
  const parsed = StatusListJwtPayload.safeParse(claims);
  if (!parsed.success) throw invalid(parsed.error, "Status list credential is invalid");
  const payload = parsed.data;
  if (payload.iat > seconds(now) + tolerance) throw new StatusListNotYetValidError();

  const subject = payload.vc.credentialSubject;
  const purposes = Array.isArray(subject.statusPurpose) ? subject.statusPurpose : [subject.statusPurpose];
  if (options.issuer !== undefined && payload.iss !== options.issuer) {
    throw new StatusListIssuerMismatchError(options.issuer, payload.iss);
  }
  if (options.url !== undefined && payload.jti !== options.url) {
    throw new StatusListUrlMismatchError(options.url, payload.jti);
  }
  if (options.purpose !== undefined && !purposes.includes(options.purpose)) {
    throw new StatusPurposeMismatchError(options.purpose, purposes.join(", "));
  }
  const list = decodeStatusList(subject.encodedList, options);
  return {
    url: payload.jti,
    issuer: payload.iss,
    purposes,
    list,
    issuedAt: new Date(payload.iat * 1000),
    ...(payload.exp !== undefined ? { validUntil: new Date(payload.exp * 1000) } : {}),
    ...(subject.ttl !== undefined ? { ttlMs: subject.ttl } : {}),
    payload,
  };
}

function mapJoseError(cause: unknown): StatusListError {
  if (cause instanceof joseErrors.JWSSignatureVerificationFailed) return new StatusListSignatureError({ cause });
  if (cause instanceof joseErrors.JWTExpired) {
    const exp = typeof cause.payload.exp === "number" ? new Date(cause.payload.exp * 1000) : new Date(0);
    return new StatusListExpiredError(exp, { cause });
  }
  if (cause instanceof joseErrors.JWTClaimValidationFailed && (cause.claim === "nbf" || cause.claim === "iat")) {
    return new StatusListNotYetValidError({ cause });
  }
  if (cause instanceof joseErrors.JOSEAlgNotAllowed) {
    return new StatusListSignatureError({ cause });
  }
  return new StatusListCredentialInvalidError("This is not a readable signed status list.", { cause });
}
