/**
 * SD-JWT VC (`dc+sd-jwt`, draft-ietf-oauth-sd-jwt-vc on RFC 9901 SD-JWT) for entitlements, on
 * OpenWallet Foundation's `@sd-jwt/*` 0.19: the issuer signs once, with the name, benefit, area,
 * programme and cycle as selectively disclosable claims; the phone shows only what the counter
 * asks for, bound to its key by a KB-JWT with the counter's audience and nonce; the status is an
 * IETF Token Status List reference (`@haki/status-list/token`).
 *
 * Claims: `iss` (the issuer's HTTPS URL: its keys are in `/.well-known/jwt-vc-issuer`, and its
 * did:web is the same origin), `iat`, `nbf`/`exp` (valid from/until), `vct`, `cnf.jwk` (the
 * holder's key), `status.status_list` {idx, uri}, and the entitlement subject's members at the
 * top level (`beneficiary` and `redemption` always shown; `servicePoints` too when present).
 *
 * Browser-safe: Web Crypto SHA-256 and the `#crypto` Ed25519 backend.
 */
import { SDJwt } from "@sd-jwt/core";
import { SDJwtVcInstance, type SdJwtVcPayload } from "@sd-jwt/sd-jwt-vc";
import type { DisclosureFrame, PresentationFrame } from "@sd-jwt/types";
import { base64urlnopad } from "@scure/base";
import * as z from "zod";
import { backend } from "#crypto";
import { didWebForUrl, publicJwkFromDid } from "./did";
import { InputInvalidError, KeyInvalidError, KeyMismatchError, type SdJwtErrorCode, type VerificationErrorCode } from "./errors";
import type { SigningKey } from "./keys";
import { Ed25519PublicJwk } from "./lib/jwk";
import { ACCEPTED_ALGS, decodeCompact, verifyCompactSignature, type DecodedJws } from "./lib/jws";
import { fail, joseType, type StatusCheck, type VerificationFailure } from "./lib/verify-core";
import { EntitlementSubject, HolderDid } from "./model";
import { findIssuerKeys, type TrustList, type TrustedIssuer } from "./trust";

export { didWebForUrl };

export const SD_JWT_VC_TYPE = "dc+sd-jwt";
/** `typ` of the KB-JWT that binds a presentation to the holder's key. */
export const KB_JWT_TYPE = "kb+jwt";
/** The entitlement's credential type; its type metadata is `vct/entitlement-v1.json`, served by the issuer. */
export const ENTITLEMENT_VCT = "https://w3id.org/haki/vct/entitlement/v1";
/** Members a holder may leave out of a presentation (issue 17). */
export const SELECTIVELY_DISCLOSABLE = ["name", "benefit", "area", "programme", "cycle"] as const;
export type DisclosableClaim = (typeof SELECTIVELY_DISCLOSABLE)[number];

const encoder = new TextEncoder();
const hasher = async (data: string | ArrayBuffer): Promise<Uint8Array> =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", typeof data === "string" ? encoder.encode(data) : data));
const saltGenerator = (length: number): string => base64urlnopad.encode(backend.randomBytes(length));
const sha256b64 = async (text: string): Promise<string> => base64urlnopad.encode(await hasher(text));


export const SdJwtIssueInput = z.object({
  /** The issuer's public URL (its `iss`): https, or http on the machine itself. */
  issuerUrl: z.url().refine((u) => !u.endsWith("/"), "no trailing slash"),
  /** The holder's key: its DID (did:key / did:jwk) or its public JWK. */
  holder: z.union([HolderDid, Ed25519PublicJwk]),
  subject: EntitlementSubject,
  validFrom: z.coerce.date(),
  validUntil: z.coerce.date(),
  /** Where the Token Status List is published and this credential's index in it. */
  status: z.object({ uri: z.url(), index: z.number().int().nonnegative().max(2 ** 31 - 1) }),
  /** Defaults to ENTITLEMENT_VCT. */
  vct: z.url().optional(),
  issuedAt: z.coerce.date().optional(),
});
export type SdJwtIssueInput = z.input<typeof SdJwtIssueInput>;

const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

function signerFor(key: SigningKey) {
  return async (data: string) => backend.signJws(data, key.privateKey);
}

/**
 * Issues an SD-JWT VC for an entitlement: the compact SD-JWT with every disclosure (`<jwt>~d1~...~`).
 * The key's DID must be the did:web of `issuerUrl` (the same issuer, two ways of finding its keys).
 * Throws `ERR_INPUT_INVALID` and `ERR_KEY_MISMATCH`.
 *
 * @example
 * const sdJwt = await issueSdJwtVc({ issuerUrl: "https://issuer.example", holder: holderDid, subject,
 *   validFrom, validUntil, status: { uri: "https://issuer.example/status/1/token", index: 42 } }, issuerKey);
 */
export async function issueSdJwtVc(input: SdJwtIssueInput, key: SigningKey): Promise<string> {
  const parsed = SdJwtIssueInput.safeParse(input);
  if (!parsed.success) throw new InputInvalidError(`${parsed.error.issues[0]?.path.join(".") ?? "input"}: ${parsed.error.issues[0]?.message}`, { cause: parsed.error });
  const i = parsed.data;
  if (i.validUntil.getTime() <= i.validFrom.getTime()) throw new InputInvalidError("validUntil: must be after validFrom");
  if (!key?.privateKey || typeof key.kid !== "string") throw new KeyInvalidError("A signing key needs kid and privateKey.");
  const did = didWebForUrl(i.issuerUrl);
  if (!did || !key.kid.startsWith(`${did}#`)) throw new KeyMismatchError(`The key ${key.kid} is not a key of ${i.issuerUrl} (${did ?? "no did:web"}).`);
  const jwk = typeof i.holder === "string" ? publicJwkFromDid(i.holder) : i.holder;
  const s = i.subject;
  const claims: SdJwtVcPayload & Record<string, unknown> = {
    iss: i.issuerUrl,
    iat: seconds(i.issuedAt ?? new Date()),
    nbf: seconds(i.validFrom),
    exp: seconds(i.validUntil),
    vct: i.vct ?? ENTITLEMENT_VCT,
    cnf: { jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } },
    status: { status_list: { idx: i.status.index, uri: i.status.uri } },
    beneficiary: s.beneficiary,
    ...(s.name !== undefined ? { name: s.name } : {}),
    programme: s.programme,
    cycle: s.cycle,
    benefit: s.benefit,
    redemption: s.redemption,
    ...(s.area !== undefined ? { area: s.area } : {}),
    ...(s.servicePoints ? { servicePoints: s.servicePoints } : {}),
  };
  const frame = { _sd: SELECTIVELY_DISCLOSABLE.filter((k) => k in claims) } as DisclosureFrame<typeof claims>;
  const sdjwt = new SDJwtVcInstance({ signer: signerFor(key), signAlg: "EdDSA", hasher, hashAlg: "sha-256", saltGenerator });
  return sdjwt.issue(claims, frame, { header: { kid: key.kid } });
}

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

/**
 * Where a verifier remembers the nonces it accepted, so a presentation cannot be shown twice.
 * `useNonce` is atomic: true the first time a nonce is used, false afterwards.
 */
export interface NonceStore {
  useNonce(nonce: string, now: Date): boolean | Promise<boolean>;
}

/**
 * A nonce store in memory (one counter device): `createNonce()` for the challenge to show, and
 * `useNonce` refusing unknown, expired or used nonces.
 *
 * @example
 * const nonces = createMemoryNonceStore({ ttlSeconds: 300 });
 * const nonce = nonces.createNonce();
 */
export function createMemoryNonceStore(options: { ttlSeconds?: number; now?: () => Date } = {}): NonceStore & { createNonce(): string } {
  const ttl = (options.ttlSeconds ?? 300) * 1000;
  const open = new Map<string, number>();
  const clock = options.now ?? (() => new Date());
  return {
    createNonce() {
      const nonce = base64urlnopad.encode(backend.randomBytes(16));
      open.set(nonce, clock().getTime() + ttl);
      return nonce;
    },
    useNonce(nonce, now) {
      const until = open.get(nonce);
      open.delete(nonce);
      return until !== undefined && now.getTime() < until;
    },
  };
}

/** `(status.status_list) => 0 valid | 1 revoked | 2 suspended | undefined (no fresh list)`, e.g. `createTokenStatusLookup`. */
export type TokenStatusLookup = (reference: { status_list: { idx: number; uri: string } }) => number | undefined;

export interface VerifySdJwtVcOptions {
  now?: Date;
  clockToleranceSeconds?: number;
  /** The audience this verifier expects in the KB-JWT. */
  audience?: string;
  /** The nonce this verifier gave the holder. */
  nonce?: string;
  /** Refuses a nonce used before (ERR_PRESENTATION_REPLAYED). */
  nonceStore?: NonceStore;
  /** Refuse a presentation without KB-JWT (default true; false to read an issued SD-JWT VC). */
  requireKeyBinding?: boolean;
  /** How old a KB-JWT may be, in seconds (default 120). */
  maxAgeSeconds?: number;
  status?: TokenStatusLookup;
  requireStatus?: boolean;
  /** Claims the holder must have disclosed (ERR_SCHEMA_VIOLATION otherwise). */
  requiredClaims?: readonly DisclosableClaim[];
  /** Accepted credential types (default [ENTITLEMENT_VCT]). */
  vct?: readonly string[];
}

/** The entitlement subject as far as it was disclosed. */
export type DisclosedSubject = Partial<EntitlementSubject> & Pick<EntitlementSubject, "beneficiary" | "redemption">;

export interface SdJwtVerificationSuccess {
  valid: true;
  format: "dc+sd-jwt";
  issuer: { did: string; name: string; url: string };
  kid: string;
  subject: DisclosedSubject;
  /** Which selectively disclosable claims the holder showed. */
  disclosed: DisclosableClaim[];
  /** verified: KB-JWT checked; required: an issued SD-JWT VC read without one (`requireKeyBinding: false`). */
  holderBinding: "verified" | "required";
  keyBinding?: { audience: string; nonce: string; createdAt: Date };
  status: StatusCheck;
  validFrom: Date;
  validUntil: Date;
  vct: string;
  /** Every claim after disclosure processing. */
  claims: Record<string, unknown>;
}
export type SdJwtVerificationFailure = VerificationFailure<VerificationErrorCode | SdJwtErrorCode>;
export type SdJwtVerificationResult = SdJwtVerificationSuccess | SdJwtVerificationFailure;

const SdJwtVcClaims = z.object({
  iss: z.url(),
  iat: z.number().int().nonnegative().optional(),
  nbf: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
  vct: z.string().min(1),
  cnf: z.object({ jwk: Ed25519PublicJwk }),
  status: z.object({ status_list: z.object({ idx: z.number().int().nonnegative(), uri: z.url() }) }).optional(),
});
const Subject = EntitlementSubject.partial().required({ beneficiary: true, redemption: true });

interface Split {
  jws: DecodedJws;
  issuerJwt: string;
  disclosures: string[];
  kbJwt?: string;
}

function split(presentation: string): Split | undefined {
  const parts = presentation.split("~");
  if (parts.length < 2) return undefined;
  const issuerJwt = parts[0]!;
  const last = parts.at(-1)!;
  const disclosures = parts.slice(1, -1);
  if (disclosures.some((d) => d.length === 0 || !/^[A-Za-z0-9_-]+$/.test(d))) return undefined;
  const jws = decodeCompact(issuerJwt);
  return jws ? { jws, issuerJwt, disclosures, ...(last ? { kbJwt: last } : {}) } : undefined;
}

/**
 * The hand check of RFC 9901 section 7.1: each disclosure's SHA-256 appears exactly once among the
 * digests of the payload (and of disclosed values), and each decodes to [salt, name, value]
 * (object members) or [salt, value] (array elements). A changed disclosure has another digest.
 */
export async function checkDisclosureDigests(payload: Record<string, unknown>, disclosures: readonly string[]): Promise<boolean> {
  const digests = new Map<string, unknown[]>();
  for (const d of disclosures) {
    let decoded: unknown;
    try {
      decoded = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(base64urlnopad.decode(d)));
    } catch {
      return false;
    }
    if (!Array.isArray(decoded) || (decoded.length !== 2 && decoded.length !== 3) || typeof decoded[0] !== "string") return false;
    if (decoded.length === 3 && (typeof decoded[1] !== "string" || ["_sd", "...", "_sd_alg"].includes(decoded[1]))) return false;
    const digest = await sha256b64(d);
    if (digests.has(digest)) return false;
    digests.set(digest, decoded);
  }
  const found = new Set<string>();
  const visit = (node: unknown): boolean => {
    if (Array.isArray(node)) {
      for (const item of node) {
        const ref = typeof item === "object" && item !== null && !Array.isArray(item) && Object.keys(item).length === 1 ? (item as Record<string, unknown>)["..."] : undefined;
        if (typeof ref === "string") {
          if (found.has(ref)) return false;
          const d = digests.get(ref);
          if (d) {
            if (d.length !== 2) return false;
            found.add(ref);
            if (!visit(d[1])) return false;
          }
        } else if (!visit(item)) return false;
      }
      return true;
    }
    if (typeof node !== "object" || node === null) return true;
    const obj = node as Record<string, unknown>;
    for (const digest of Array.isArray(obj._sd) ? obj._sd : []) {
      if (typeof digest !== "string" || found.has(digest)) return false;
      const d = digests.get(digest);
      if (!d) continue; // a decoy, or a claim not disclosed
      if (d.length !== 3 || (d[1] as string) in obj) return false;
      found.add(digest);
      if (!visit(d[2])) return false;
    }
    return Object.entries(obj).every(([k, v]) => k === "_sd" || visit(v));
  };
  return visit(payload) && found.size === digests.size;
}

function trustedIssuer(trust: TrustList, iss: string, kid: unknown): { issuer: TrustedIssuer; did: string; candidates: NonNullable<ReturnType<typeof findIssuerKeys>> } | undefined {
  const did = didWebForUrl(iss);
  if (!did || (kid !== undefined && typeof kid !== "string")) return undefined;
  const candidates = findIssuerKeys(trust, did, kid as string | undefined);
  return candidates?.length ? { issuer: candidates[0]!.issuer, did, candidates } : undefined;
}

/**
 * Verifies an SD-JWT VC presentation offline against the trust list: issuer signature (EdDSA,
 * key by `kid` from the issuer whose did:web is `iss`'s origin), `typ`, disclosure digests, `vct`,
 * claims, validity, status, and the KB-JWT (holder key from `cnf`, `sd_hash`, fresh `iat`,
 * `aud`, `nonce`, nonce not used before). Never throws; failures carry stable codes
 * (ERR_ALG_UNSUPPORTED for `alg: none`, ERR_SIGNATURE_INVALID, ERR_DISCLOSURE_INVALID,
 * ERR_KEY_BINDING_MISSING, ERR_KEY_BINDING_INVALID, ERR_NONCE_MISMATCH, ERR_PRESENTATION_REPLAYED...).
 *
 * @example
 * const r = await verifySdJwtVc(shown, trust, { audience: "sp-demo-nairobi", nonce, nonceStore, status });
 * if (r.valid) handOver(r.subject.benefit);
 */
export async function verifySdJwtVc(presentation: string, trust: TrustList, options: VerifySdJwtVcOptions = {}): Promise<SdJwtVerificationResult> {
  try {
    return await verifyUnsafe(typeof presentation === "string" ? presentation.trim() : "", trust, options);
  } catch (cause) {
    return fail("ERR_MALFORMED", undefined, undefined, cause);
  }
}

async function verifyUnsafe(presentation: string, trust: TrustList, options: VerifySdJwtVcOptions): Promise<SdJwtVerificationResult> {
  const parts = split(presentation);
  if (!parts) return fail("ERR_MALFORMED");
  const { jws } = parts;
  const alg = jws.header.alg;
  if (typeof alg !== "string" || !ACCEPTED_ALGS.has(alg) || jws.header.crit !== undefined) return fail("ERR_ALG_UNSUPPORTED", undefined, { alg: String(alg) });
  const typ = joseType(jws.header);
  if (typ !== SD_JWT_VC_TYPE) return fail("ERR_WRONG_TYPE", undefined, { typ: String(typ) });
  const iss = jws.payload.iss;
  if (typeof iss !== "string") return fail("ERR_MALFORMED", "This card does not say who issued it.");
  const found = trustedIssuer(trust, iss, jws.header.kid);
  if (!found) return fail("ERR_ISSUER_UNTRUSTED", undefined, { issuer: iss });
  let signer: (typeof found.candidates)[number] | undefined;
  for (const c of found.candidates) if (await verifyCompactSignature(jws, c.publicKeyJwk)) signer = c;
  if (!signer) return fail("ERR_SIGNATURE_INVALID");

  if (jws.payload._sd_alg !== undefined && jws.payload._sd_alg !== "sha-256") return fail("ERR_ALG_UNSUPPORTED", undefined, { _sd_alg: String(jws.payload._sd_alg) });
  if (!(await checkDisclosureDigests(jws.payload, parts.disclosures))) return fail("ERR_DISCLOSURE_INVALID");
  const claims = await (await SDJwt.fromEncode(`${parts.issuerJwt}~${parts.disclosures.map((d) => `${d}~`).join("")}`, hasher)).getClaims<Record<string, unknown>>(hasher);

  const accepted = options.vct ?? [ENTITLEMENT_VCT];
  if (!accepted.includes(String(claims.vct))) return fail("ERR_WRONG_TYPE", undefined, { vct: String(claims.vct) });
  const header = SdJwtVcClaims.safeParse(claims);
  const { iss: _i, iat: _t, nbf: _n, exp: _e, vct: _v, cnf: _c, status: _s, ...members } = claims;
  const subject = Subject.safeParse(members);
  if (!header.success || !subject.success) {
    const issue = (header.error ?? subject.error)?.issues[0];
    return fail("ERR_SCHEMA_VIOLATION", undefined, issue ? { path: issue.path.join("."), message: issue.message } : undefined, header.error ?? subject.error);
  }
  const disclosed = SELECTIVELY_DISCLOSABLE.filter((k) => k in subject.data);
  const missing = (options.requiredClaims ?? []).filter((k) => !disclosed.includes(k));
  if (missing.length > 0) return fail("ERR_SCHEMA_VIOLATION", "This code does not show what this counter needs. Ask for a new code.", { missing: missing.join(",") });
  if (!issuerCovers(found.issuer, subject.data.programme?.id)) return fail("ERR_ISSUER_UNTRUSTED", "This device does not trust this issuer for this programme.", { issuer: iss });

  const c = header.data;
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.clockToleranceSeconds ?? 60;
  const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
  if (now + tolerance < c.nbf) return fail("ERR_NOT_YET_VALID", `This card can be used from ${day(c.nbf)}.`, { validFrom: day(c.nbf) });
  if (now - tolerance >= c.exp) return fail("ERR_EXPIRED", `This card expired on ${day(c.exp)}.`, { validUntil: day(c.exp) });

  let status: StatusCheck = "unchecked";
  if (c.status && options.status) {
    let value: number | undefined;
    try {
      value = options.status(c.status);
    } catch {
      value = undefined;
    }
    if (value === 1) return fail("ERR_REVOKED");
    if (value === 2) return fail("ERR_SUSPENDED");
    status = value === 0 ? "ok" : "unknown";
  }
  if (options.requireStatus && status !== "ok") return fail("ERR_STATUS_UNAVAILABLE", undefined, { list: c.status?.status_list.uri ?? "" });

  const keyBinding = await checkKeyBinding(parts, c.cnf.jwk, now, tolerance, options);
  if (keyBinding && "code" in keyBinding) return keyBinding;

  return {
    valid: true,
    format: SD_JWT_VC_TYPE,
    issuer: { did: found.did, name: found.issuer.name, url: iss },
    kid: signer.kid,
    subject: subject.data,
    disclosed,
    holderBinding: keyBinding ? "verified" : "required",
    ...(keyBinding ? { keyBinding } : {}),
    status,
    validFrom: new Date(c.nbf * 1000),
    validUntil: new Date(c.exp * 1000),
    vct: c.vct,
    claims,
  };
}

function issuerCovers(issuer: TrustedIssuer, programme: string | undefined): boolean {
  return issuer.programmes === undefined || (programme !== undefined && issuer.programmes.includes(programme));
}

const KbPayload = z.object({ iat: z.number().int(), aud: z.string().min(1), nonce: z.string().min(1), sd_hash: z.string().min(1) });

async function checkKeyBinding(
  parts: Split,
  holderJwk: Ed25519PublicJwk,
  now: number,
  tolerance: number,
  options: VerifySdJwtVcOptions,
): Promise<{ audience: string; nonce: string; createdAt: Date } | SdJwtVerificationFailure | undefined> {
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
  const shown = `${parts.issuerJwt}~${parts.disclosures.map((d) => `${d}~`).join("")}`;
  if (p.data.sd_hash !== (await sha256b64(shown))) return fail("ERR_KEY_BINDING_INVALID", undefined, { sd_hash: "mismatch" });
  const maxAge = options.maxAgeSeconds ?? 120;
  if (p.data.iat > now + tolerance) return fail("ERR_PRESENTATION_STALE", "This code was made in the future: check the phone's clock.");
  if (now - p.data.iat > maxAge + tolerance) return fail("ERR_PRESENTATION_STALE");
  if (options.audience !== undefined && p.data.aud !== options.audience) return fail("ERR_NONCE_MISMATCH", undefined, { audience: p.data.aud });
  if (options.nonce !== undefined && p.data.nonce !== options.nonce) return fail("ERR_NONCE_MISMATCH", undefined, { nonce: "mismatch" });
  if (options.nonceStore && !(await options.nonceStore.useNonce(p.data.nonce, new Date(now * 1000)))) return fail("ERR_PRESENTATION_REPLAYED", undefined, { nonce: p.data.nonce });
  return { audience: p.data.aud, nonce: p.data.nonce, createdAt: new Date(p.data.iat * 1000) };
}
