/**
 * `haki verify`: checks a credential (VC-JWT), a presentation (VP-JWT) or a Haki QR payload against a
 * trust list, offline, optionally with the signed status lists found in a folder. Prints the result
 * as JSON; exit 0 when valid, 1 when not, 2 when the check could not be run as asked.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { verifyPresentation } from "@haki/credentials/presentation";
import { findIssuerKeys, type TrustList } from "@haki/credentials/trust";
import { verifyCredential, type VerificationResult } from "@haki/credentials/verify";
import { decodeProof } from "@haki/qr/codec";
import { HakiQrError } from "@haki/qr/errors";
import { toStatusListCache, type StatusListCache } from "@haki/status-list/cache";
import { verifyStatusListCredential, type VerifiedStatusList } from "@haki/status-list/credential";
import { StatusListError } from "@haki/status-list/errors";
import { createStatusLookup } from "@haki/status-list/lookup";
import { flag, integer, isoDate, optional, parse, required } from "../args";
import { CliUsageError } from "../errors";
import { loadTrustList, readText } from "../files";
import { EXIT_INVALID, EXIT_OK, type CliIo } from "../io";
import { readClaim169, verifyClaim169Command } from "./verify-claim169";

export const VERIFY_HELP = `Usage: haki verify [FILE|-] --trust TRUST.json [--status-dir DIR] [--now ISO] [--max-age SECONDS] [--nonce TEXT]
       haki verify [FILE|-] --identity-trust IDENTITY.json [--now ISO]

Verifies a credential (VC-JWT), a presentation (VP-JWT), a Haki QR payload (HK1:...) or a MOSIP
Claim 169 ID QR payload, read from FILE or standard input, with no network. Prints the result as JSON.
  --trust FILE        the trust list: issuers and keys this check accepts
  --identity-trust FILE  for Claim 169 ID QR codes: { "identityIssuers": [{ id, name, keys: [{ kid, alg, publicKeyJwk }] }] }
  --status-dir DIR    signed status lists (*.jwt, from haki status sign) to check revocation and
                      suspension against; with it, a credential whose lists are missing fails
  --now ISO           check validity at this time instead of now (e.g. 2027-03-15T09:00:00Z)
  --max-age SECONDS   oldest presentation accepted (default 120)
  --nonce TEXT        the challenge a presentation must carry
  --require-holder-proof  refuse a bare credential that names a holder key
Exit code: 0 valid, 1 invalid, 2 bad usage (unknown option, unreadable trust list or status list).
`;

type Kind = "credential" | "presentation";

/** Lists in `dir` whose signature checks out against the trust list; any bad list stops the run. */
async function loadStatusDir(dir: string, trust: TrustList, now: Date, io: CliIo): Promise<StatusListCache[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith(".jwt")).sort();
  } catch (cause) {
    throw new CliUsageError(`The status list folder ${dir} cannot be read.`, { cause });
  }
  const caches: StatusListCache[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const jwt = (await readText(path, io)).trim();
    let iss: unknown;
    let kid: unknown;
    try {
      iss = decodeJwt(jwt).iss;
      kid = decodeProtectedHeader(jwt).kid;
    } catch (cause) {
      throw new CliUsageError(`${path} is not a signed status list.`, { cause });
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
  return caches;
}

/** Finds out what was given: a VC-JWT, a VP-JWT, or (anything else) a Haki QR payload. */
function identify(text: string, issuers: readonly string[]): { kind: Kind; jwt: string; format: "jwt" | "qr" } | { error: { code: string; reason: string } } {
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text)) {
    let payload: Record<string, unknown>;
    try {
      payload = decodeJwt(text);
    } catch {
      return { error: { code: "ERR_MALFORMED", reason: "This is not a readable JWT." } };
    }
    return { kind: "vp" in payload ? "presentation" : "credential", jwt: text, format: "jwt" };
  }
  try {
    const proof = decodeProof(text, { issuers });
    return { kind: proof.kind, jwt: proof.jwt, format: "qr" };
  } catch (cause) {
    if (!(cause instanceof HakiQrError)) throw cause;
    const reason =
      cause.code === "ERR_QR_NOT_HAKI" ? "This is neither a Haki credential (JWT) nor a Haki QR payload (HK1:...)." : cause.message;
    return { error: { code: cause.code, reason } };
  }
}

function report(result: VerificationResult, kind: Kind, format: "jwt" | "qr"): Record<string, unknown> {
  if (!result.valid) {
    return { valid: false, kind, format, code: result.code, reason: result.reason, ...(result.details ? { details: result.details } : {}) };
  }
  const out: Record<string, unknown> = {
    valid: true,
    kind,
    format,
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
  const statusDir = optional(p, "status-dir");
  const caches = statusDir === undefined ? undefined : await loadStatusDir(statusDir, trust, now, io);

  const text = raw.trim();
  if (text.length === 0) throw new CliUsageError("Nothing to verify: give a file, or pipe a JWT or QR payload in.");

  // QR payloads may name their issuer by a short reference into the trust list.
  const found = identify(text, trust.issuers.map((i) => i.did));
  if ("error" in found) {
    io.stdout(JSON.stringify({ valid: false, ...found.error }, null, 2) + "\n");
    return EXIT_INVALID;
  }
  const options = {
    now,
    ...(caches ? { status: createStatusLookup(caches, { now: () => now }), requireStatus: true } : {}),
    ...(flag(p, "require-holder-proof") ? { requireHolderProof: true } : {}),
  };
  const result =
    found.kind === "presentation"
      ? await verifyPresentation(found.jwt, trust, {
          ...options,
          ...(maxAge !== undefined ? { maxAgeSeconds: maxAge } : {}),
          ...(nonce !== undefined ? { nonce } : {}),
        })
      : await verifyCredential(found.jwt, trust, options);
  io.stdout(JSON.stringify(report(result, found.kind, found.format), null, 2) + "\n");
  return result.valid ? EXIT_OK : EXIT_INVALID;
}
