/**
 * `haki verify`: checks a credential or presentation against a trust list, offline, optionally with
 * the signed status lists found in a folder: VC 1.1 VC-JWT / VP-JWT, VC 2.0 vc+jwt / vp+jwt, SD-JWT
 * VC (dc+sd-jwt, with or without KB-JWT), or a Haki QR payload. Prints the result as JSON; exit 0
 * when valid, 1 when not, 2 when the check could not be run as asked.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { verifyPresentation } from "@haki/credentials/presentation";
import { verifySdJwtVc, type SdJwtVerificationResult } from "@haki/credentials/sd-jwt";
import { findIssuerKeys, type TrustList } from "@haki/credentials/trust";
import { verifyCredential, type VerificationResult } from "@haki/credentials/verify";
import { decodeProof, decodeReferences } from "@haki/qr/codec";
import { HakiQrError } from "@haki/qr/errors";
import { toStatusListCache, type StatusListCache } from "@haki/status-list/cache";
import { verifyStatusListCredential, type VerifiedStatusList } from "@haki/status-list/credential";
import { StatusListError } from "@haki/status-list/errors";
import { createStatusLookup } from "@haki/status-list/lookup";
import { createTokenStatusLookup, STATUS_LIST_TOKEN_TYPE, verifyStatusListToken, type CachedStatusListToken } from "@haki/status-list/token";
import * as z from "zod";
import { flag, integer, isoDate, optional, parse, required } from "../args";
import { CliUsageError } from "../errors";
import { loadTrustList, readJson, readText } from "../files";
import { EXIT_INVALID, EXIT_OK, type CliIo } from "../io";
import { readClaim169, verifyClaim169Command } from "./verify-claim169";

export const VERIFY_HELP = `Usage: haki verify [FILE|-] --trust TRUST.json [--status-dir DIR] [--now ISO] [--max-age SECONDS] [--nonce TEXT] [--audience TEXT]
       haki verify [FILE|-] --identity-trust IDENTITY.json [--now ISO]

Verifies, with no network, what FILE or standard input holds: a credential or presentation as a
VC 1.1 JWT (VC-JWT / VP-JWT) or VC 2.0 JWT (vc+jwt / vp+jwt), an SD-JWT VC (dc+sd-jwt, issued or
presented with a KB-JWT), a Haki QR payload (HK2:..., or HK1:... from older cards), or a MOSIP
Claim 169 ID QR payload. Prints the result as JSON.
  --trust FILE        the trust list: issuers and keys this check accepts
  --identity-trust FILE  for Claim 169 ID QR codes: { "identityIssuers": [{ id, name, keys: [{ kid, alg, publicKeyJwk }] }] }
  --programmes FILE   programmes the verifier knows ([{id, name}], or a trust bundle with
                      "programmes"): phone QR codes name their programme by reference
  --status-dir DIR    signed status lists (*.jwt: Bitstring lists from haki status sign, Token
                      Status Lists typ statuslist+jwt for SD-JWT VCs); with it, a credential whose
                      lists are missing fails
  --now ISO           check validity at this time instead of now (e.g. 2027-03-15T09:00:00Z)
  --max-age SECONDS   oldest presentation accepted (default 120)
  --nonce TEXT        the challenge a presentation (or KB-JWT) must carry
  --audience TEXT     the audience a presentation (or KB-JWT) must name
  --require-holder-proof  refuse a bare credential that names a holder key (an SD-JWT VC without KB-JWT)
Exit code: 0 valid, 1 invalid, 2 bad usage (unknown option, unreadable trust list or status list).
`;

type Kind = "credential" | "presentation";
type Format = "jwt" | "qr" | "sd-jwt";

interface StatusHeld {
  bitstring: StatusListCache[];
  tokens: CachedStatusListToken[];
}

/** Lists in `dir` whose signature checks out against the trust list; any bad list stops the run. */
async function loadStatusDir(dir: string, trust: TrustList, now: Date, io: CliIo): Promise<StatusHeld> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".jwt")).sort();
  } catch (cause) {
    throw new CliUsageError(`The status list folder ${dir} cannot be read.`, { cause });
  }
  const caches: StatusListCache[] = [];
  const tokens: CachedStatusListToken[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const jwt = (await readText(path, io)).trim();
    let iss: unknown;
    let kid: unknown;
    let typ: unknown;
    try {
      iss = decodeJwt(jwt).iss;
      ({ kid, typ } = decodeProtectedHeader(jwt));
    } catch (cause) {
      throw new CliUsageError(`${path} is not a signed status list.`, { cause });
    }
    if (typ === STATUS_LIST_TOKEN_TYPE) {
      tokens.push(await loadToken(path, jwt, kid, trust, now));
      continue;
    }
    if (typeof iss !== "string") throw new CliUsageError(`${path} does not say who issued it.`);
    const keys = findIssuerKeys(trust, iss, typeof kid === "string" ? kid : undefined);
    if (!keys?.length) throw new CliUsageError(`${path} is signed by ${iss}, which the trust list does not hold.`);
    let verified: VerifiedStatusList | undefined;
    let lastError: unknown;
    for (const key of keys) {
      try {
        verified = await verifyStatusListCredential(jwt, key.publicKeyJwk, { now, issuer: iss });
        break;
      } catch (cause) {
        lastError = cause;
        if (!(cause instanceof StatusListError && cause.code === "ERR_STATUS_LIST_SIGNATURE")) break;
      }
    }
    if (!verified) {
      const why = lastError instanceof StatusListError ? `${lastError.message} (${lastError.code})` : "it cannot be verified";
      throw new CliUsageError(`${path}: ${why}`, { cause: lastError });
    }
    for (const purpose of verified.purposes) caches.push(toStatusListCache(verified, { fetchedAt: now, purpose }));
  }
  return { bitstring: caches, tokens };
}

/** A Token Status List (SD-JWT VC status): its key is the trusted issuer key its kid names. */
async function loadToken(path: string, jwt: string, kid: unknown, trust: TrustList, now: Date): Promise<CachedStatusListToken> {
  const did = typeof kid === "string" ? kid.split("#")[0] : undefined;
  const keys = did ? findIssuerKeys(trust, did, kid as string) : undefined;
  if (!keys?.length) throw new CliUsageError(`${path} is signed by ${String(kid)}, which the trust list does not hold.`);
  try {
    return { ...(await verifyStatusListToken(jwt, keys[0]!.publicKeyJwk, { now })), fetchedAt: now };
  } catch (cause) {
    const why = cause instanceof StatusListError ? `${cause.message} (${cause.code})` : "it cannot be verified";
    throw new CliUsageError(`${path}: ${why}`, { cause });
  }
}

const Programmes = z.union([z.array(z.object({ id: z.string(), name: z.string() })), z.object({ programmes: z.array(z.object({ id: z.string(), name: z.string() })) })]);

/** Finds out what was given: a VC or VP JWT (either VC version), an SD-JWT VC, or (anything else) a Haki QR payload. */
function identify(text: string, references: Parameters<typeof decodeProof>[1]): { kind: Kind; jwt: string; format: Format } | { error: { code: string; reason: string } } {
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*~/.test(text)) {
    return { kind: text.endsWith("~") ? "credential" : "presentation", jwt: text, format: "sd-jwt" };
  }
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text)) {
    let payload: Record<string, unknown>;
    try {
      payload = decodeJwt(text);
    } catch {
      return { error: { code: "ERR_MALFORMED", reason: "This is not a readable JWT." } };
    }
    const presentation = "vp" in payload || ("holder" in payload && "verifiableCredential" in payload);
    return { kind: presentation ? "presentation" : "credential", jwt: text, format: "jwt" };
  }
  try {
    const proof = decodeProof(text, references);
    return { kind: proof.kind, jwt: proof.jwt, format: "qr" };
  } catch (cause) {
    if (!(cause instanceof HakiQrError)) throw cause;
    const reason =
      cause.code === "ERR_QR_NOT_HAKI" ? "This is neither a Haki credential (JWT) nor a Haki QR payload (HK2:..., or HK1:... from older cards)." : cause.message;
    return { error: { code: cause.code, reason } };
  }
}

function report(result: VerificationResult | SdJwtVerificationResult, kind: Kind, format: Format): Record<string, unknown> {
  if (!result.valid) {
    return { valid: false, kind, format, code: result.code, reason: result.reason, ...(result.details ? { details: result.details } : {}) };
  }
  if (result.format === "dc+sd-jwt") {
    return {
      valid: true,
      kind,
      format,
      credentialFormat: result.format,
      vct: result.vct,
      issuer: result.issuer,
      kid: result.kid,
      holderBinding: result.holderBinding,
      ...(result.keyBinding ? { keyBinding: { ...result.keyBinding, createdAt: result.keyBinding.createdAt.toISOString() } } : {}),
      status: result.status,
      validFrom: result.validFrom.toISOString(),
      validUntil: result.validUntil.toISOString(),
      disclosed: result.disclosed,
      subject: result.subject,
    };
  }
  const out: Record<string, unknown> = {
    valid: true,
    kind,
    format,
    credentialFormat: result.format === "vc2" ? "vc+jwt" : "vc-jwt 1.1",
    issuer: result.issuer,
    kid: result.kid,
    holder: result.holder,
    holderBinding: result.holderBinding,
    status: result.status,
    validFrom: result.validFrom.toISOString(),
    validUntil: result.validUntil.toISOString(),
    subject: result.subject,
  };
  if ("presentation" in result) {
    const p = (result as { presentation: { id: string; holder: string; createdAt: Date; nonce?: string } }).presentation;
    out.presentation = { ...p, createdAt: p.createdAt.toISOString() };
  }
  return out;
}

export async function verifyCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parse(
    argv,
    {
      trust: { type: "string" },
      "status-dir": { type: "string" },
      now: { type: "string" },
      "max-age": { type: "string" },
      nonce: { type: "string" },
      audience: { type: "string" },
      programmes: { type: "string" },
      "require-holder-proof": { type: "boolean" },
      "identity-trust": { type: "string" },
    },
    1,
  );
  if (flag(p, "help")) {
    io.stdout(VERIFY_HELP);
    return EXIT_OK;
  }
  // A Claim 169 ID QR is checked against identity issuers, not the programme trust list.
  const positional = p.positionals[0] ?? "-";
  if (optional(p, "identity-trust") === undefined) required(p, "trust");
  const raw = await readText(positional, io);
  const claim169 = await readClaim169(raw);
  if (claim169) return verifyClaim169Command(claim169, optional(p, "identity-trust"), isoDate(p, "now") ?? io.now(), io);
  const trust = await loadTrustList(required(p, "trust"), io);
  const now = isoDate(p, "now") ?? io.now();
  const maxAge = integer(p, "max-age", 1, 366 * 24 * 3600);
  const nonce = optional(p, "nonce");
  const audience = optional(p, "audience");
  const statusDir = optional(p, "status-dir");
  const held = statusDir === undefined ? undefined : await loadStatusDir(statusDir, trust, now, io);
  const programmesFile = optional(p, "programmes");
  const programmes = programmesFile === undefined ? [] : await readJson(programmesFile, Programmes, "input", "programmes ([{id, name}] or a trust bundle)", io);

  const text = raw.trim();
  if (text.length === 0) throw new CliUsageError("Nothing to verify: give a file, or pipe a JWT or QR payload in.");

  // QR payloads may name their issuer, its key and the programme by short references.
  const found = identify(text, decodeReferences(trust.issuers, Array.isArray(programmes) ? programmes : programmes.programmes));
  if ("error" in found) {
    io.stdout(JSON.stringify({ valid: false, ...found.error }, null, 2) + "\n");
    return EXIT_INVALID;
  }
  const challenge = { ...(nonce !== undefined ? { nonce } : {}), ...(audience !== undefined ? { audience } : {}) };
  const age = maxAge !== undefined ? { maxAgeSeconds: maxAge } : {};
  let result: VerificationResult | SdJwtVerificationResult;
  if (found.format === "sd-jwt") {
    result = await verifySdJwtVc(found.jwt, trust, {
      now,
      ...challenge,
      ...age,
      requireKeyBinding: found.kind === "presentation" || flag(p, "require-holder-proof"),
      ...(held ? { status: createTokenStatusLookup(held.tokens, { now: () => now }), requireStatus: true } : {}),
    });
  } else {
    const options = {
      now,
      ...(held ? { status: createStatusLookup(held.bitstring, { now: () => now }), requireStatus: true } : {}),
      ...(flag(p, "require-holder-proof") ? { requireHolderProof: true } : {}),
    };
    result = found.kind === "presentation" ? await verifyPresentation(found.jwt, trust, { ...options, ...age, ...challenge }) : await verifyCredential(found.jwt, trust, options);
  }
  io.stdout(JSON.stringify(report(result, found.kind, found.format), null, 2) + "\n");
  return result.valid ? EXIT_OK : EXIT_INVALID;
}
