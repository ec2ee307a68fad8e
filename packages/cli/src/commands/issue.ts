/**
 * `haki issue`: signs an entitlement (an EntitlementInput JSON file) with an issuer key file and
 * prints the VC-JWT, or its QR payload with --qr. `haki present`: a holder's presentation of one.
 * `haki trust new`: a trust list naming one issuer key, for verifiers.
 */
import * as z from "zod";
import { EntitlementInput } from "@haki/credentials/model";
import { signPresentation } from "@haki/credentials/presentation";
import { SELECTIVELY_DISCLOSABLE, presentSdJwtVc, type DisclosableClaim } from "@haki/credentials/sd-jwt";
import { signCredential } from "@haki/credentials/sign";
import { trustListOf } from "@haki/credentials/trust";
import { HakiQrError } from "@haki/qr/errors";
import { decodeProof, encodeProof } from "@haki/qr/codec";
import { flag, list, optional, parse, required } from "../args";
import { asInputError, CliInputError, CliUsageError } from "../errors";
import { canIssue, loadKeyFile, loadTrustList, readJson, readText, writeFileSafely } from "../files";
import { answerGroupHelp, EXIT_OK, type CliIo } from "../io";

export const ISSUE_HELP = `Usage: haki issue --key KEY.json --input ENTITLEMENT.json|- [--format vc1|vc2] [--qr]

Signs one entitlement credential and prints it (EdDSA).
  --key FILE     the issuer's key file (haki keys new)
  --input FILE   an EntitlementInput JSON file, or - for standard input; "issuer" may be left out
                 (the key's DID is used)
  --format F     vc1: VC Data Model 1.1 VC-JWT (default); vc2: VC Data Model 2.0 vc+jwt
  --qr           print the Haki QR payload (HK2:...) instead of the JWT
`;

export const PRESENT_HELP = `Usage: haki present --key HOLDER-KEY.json --credential FILE|- [--nonce TEXT] [--audience TEXT] [--disclose CLAIM]... [--qr]

Signs a presentation of one credential with the holder's key and prints it: a VP-JWT (vp+jwt for a
vc+jwt), or for an SD-JWT VC the chosen disclosures and a KB-JWT.
  --key FILE         the holder's key file (haki keys new, did:key or did:jwk)
  --credential FILE  the credential (JWT, SD-JWT VC or Haki QR payload), or - for standard input
  --nonce TEXT       a challenge the verifier gave (required for an SD-JWT VC)
  --audience TEXT    the verifier's identifier (required for an SD-JWT VC)
  --disclose CLAIM   SD-JWT VC: a claim to show (name, benefit, area, programme, cycle; repeatable;
                     default all)
  --qr               print the Haki QR payload instead of the JWT
`;

export const TRUST_HELP = `Usage:
  haki trust new --key KEY.json --name NAME [--programme ID]... [--out FILE]
  haki trust add --trust TRUST.json --key KEY.json --name NAME [--programme ID]...

new prints (or writes) a trust list that accepts credentials signed by this key; add puts the key's
issuer into an existing trust list file (replacing that issuer's entry if it is there).
  --key FILE        the issuer's key file (only its public part is used)
  --name NAME       the issuer's name as verifiers will show it
  --programme ID    trust the issuer only for these programme ids (repeatable)
  --out FILE        write to FILE instead of standard output
  --trust FILE      the trust list file to update
`;

/** The input file: an EntitlementInput whose issuer may be omitted. */
const IssueFile = z.record(z.string(), z.unknown());

function explain(error: unknown): string {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    return issue ? `${issue.path.join(".") || "input"}: ${issue.message}` : "invalid";
  }
  return (error as Error).message;
}

function toJwt(text: string): string {
  const t = text.trim();
  if (!t.startsWith("HK")) return t;
  try {
    return decodeProof(t).jwt;
  } catch (cause) {
    throw new CliInputError(`The credential is not a readable Haki QR payload: ${(cause as Error).message}`, { cause });
  }
}

function qr(jwt: string): string {
  try {
    return encodeProof(jwt);
  } catch (cause) {
    if (cause instanceof HakiQrError) throw new CliInputError(`${cause.message} (${cause.code})`, { cause });
    throw cause;
  }
}

export async function issueCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parse(argv, { key: { type: "string" }, input: { type: "string" }, format: { type: "string" }, qr: { type: "boolean" } });
  if (flag(p, "help")) {
    io.stdout(ISSUE_HELP);
    return EXIT_OK;
  }
  const format = optional(p, "format") ?? "vc1";
  if (format !== "vc1" && format !== "vc2") throw new CliUsageError(`--format must be vc1 or vc2, not "${format}".`);
  const key = await loadKeyFile(required(p, "key"), io);
  if (!canIssue(key.did)) throw new CliUsageError(`${key.did} cannot issue credentials: use a did:web or did:key issuer key.`);
  const raw = await readJson(required(p, "input"), IssueFile, "input", "entitlement (JSON object)", io);
  const withIssuer = { issuer: key.did, ...raw };
  const parsed = EntitlementInput.safeParse(withIssuer);
  if (!parsed.success) throw new CliInputError(`The entitlement is invalid: ${explain(parsed.error)}.`, { cause: parsed.error });
  if (withIssuer.issuer !== key.did) {
    throw new CliInputError(`The entitlement names issuer ${String(withIssuer.issuer)} but the key belongs to ${key.did}.`);
  }
  const jwt = await asInputError(() => signCredential(withIssuer as EntitlementInput, key, { format }));
  io.stdout((flag(p, "qr") ? qr(jwt) : jwt) + "\n");
  return EXIT_OK;
}

export async function presentCommand(argv: string[], io: CliIo): Promise<number> {
  const p = parse(argv, {
    key: { type: "string" },
    credential: { type: "string" },
    nonce: { type: "string" },
    audience: { type: "string" },
    disclose: { type: "string", multiple: true },
    qr: { type: "boolean" },
  });
  if (flag(p, "help")) {
    io.stdout(PRESENT_HELP);
    return EXIT_OK;
  }
  const key = await loadKeyFile(required(p, "key"), io);
  const text = (await readText(required(p, "credential"), io)).trim();
  if (text.includes("~")) {
    const disclose = list(p, "disclose");
    const unknown = disclose.filter((c) => !(SELECTIVELY_DISCLOSABLE as readonly string[]).includes(c));
    if (unknown.length) throw new CliUsageError(`--disclose takes ${SELECTIVELY_DISCLOSABLE.join(", ")}, not ${unknown.join(", ")}.`);
    const shown = await asInputError(() =>
      presentSdJwtVc(text, key, {
        disclose: (disclose.length ? disclose : SELECTIVELY_DISCLOSABLE) as DisclosableClaim[],
        audience: required(p, "audience"),
        nonce: required(p, "nonce"),
        now: io.now(),
      }),
    );
    io.stdout(shown + "\n");
    return EXIT_OK;
  }
  const credential = toJwt(text);
  if (!/^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential)) throw new CliInputError("The credential is not a JWT.");
  const nonce = optional(p, "nonce");
  const audience = optional(p, "audience");
  const vp = await asInputError(() =>
    signPresentation(credential, key, { now: io.now(), ...(nonce !== undefined ? { nonce } : {}), ...(audience !== undefined ? { audience } : {}) }),
  );
  io.stdout((flag(p, "qr") ? qr(vp) : vp) + "\n");
  return EXIT_OK;
}

export async function trustCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const answered = answerGroupHelp(sub, TRUST_HELP, io);
  if (answered !== undefined) return answered;
  if (sub !== "new" && sub !== "add") throw new CliUsageError(`Unknown command: haki trust ${sub}. Try: haki trust --help`);
  const p = parse(rest, {
    key: { type: "string" },
    name: { type: "string" },
    programme: { type: "string", multiple: true },
    out: { type: "string" },
    trust: { type: "string" },
  });
  if (flag(p, "help")) {
    io.stdout(TRUST_HELP);
    return EXIT_OK;
  }
  const key = await loadKeyFile(required(p, "key"), io);
  if (!canIssue(key.did)) throw new CliUsageError(`${key.did} cannot issue credentials: use a did:web or did:key issuer key.`);
  const programmes = list(p, "programme");
  const entry = {
    did: key.did,
    name: required(p, "name"),
    keys: [{ id: key.kid, publicKeyJwk: key.publicJwk }],
    ...(programmes.length ? { programmes } : {}),
  };
  const existing = sub === "add" ? await loadTrustList(required(p, "trust"), io) : undefined;
  let trust;
  try {
    trust = trustListOf(...(existing?.issuers.filter((i) => i.did !== key.did) ?? []), entry);
  } catch (cause) {
    throw new CliUsageError(`Cannot build the trust list: ${explain((cause as { cause?: unknown }).cause ?? cause)}.`, { cause });
  }
  const text = JSON.stringify({ ...trust, updatedAt: io.now().toISOString() }, null, 2) + "\n";
  const out = sub === "add" ? required(p, "trust") : optional(p, "out");
  if (out) await writeFileSafely(out, text);
  else io.stdout(text);
  if (sub === "add") io.stdout(JSON.stringify({ trust: out, issuers: trust.issuers.map((i) => i.did) }, null, 2) + "\n");
  return EXIT_OK;
}
