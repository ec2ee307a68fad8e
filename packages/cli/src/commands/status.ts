/**
 * `haki status`: the issuer's local status lists. `new` creates one, `revoke` / `suspend` /
 * `reinstate` change one entry, `sign` publishes the list as a signed status list credential
 * (a JWT file a verifier puts in its --status-dir), `show` reports it.
 */
import { basename, dirname, join } from "node:path";
import { StatusPurpose } from "@haki/credentials/model";
import { clearStatus, createStatusList, getStatus, listSetStatuses, setStatus, MIN_STATUS_LIST_LENGTH } from "@haki/status-list/bitstring";
import { buildStatusListCredential, signStatusListCredential } from "@haki/status-list/credential";
import { StatusListError } from "@haki/status-list/errors";
import { flag, integer, optional, parse, required, type Parsed } from "../args";
import { CliInputError, CliUsageError } from "../errors";
import { canIssue, loadKeyFile, loadStatusListFile, saveStatusListFile, writeFileSafely } from "../files";
import { EXIT_OK, EXIT_USAGE, type CliIo } from "../io";

export const STATUS_HELP = `Usage:
  haki status new --list FILE --url URL --purpose revocation|suspension [--length N] [--force]
  haki status revoke    --list FILE --index N [--key KEY.json --sign [SIGN OPTIONS]]
  haki status suspend   --list FILE --index N [--key KEY.json --sign [SIGN OPTIONS]]
  haki status reinstate --list FILE --index N [--key KEY.json --sign [SIGN OPTIONS]]
  haki status sign --list FILE --key KEY.json [SIGN OPTIONS]
  haki status show --list FILE [--index N]

Keeps a Bitstring Status List in a local file (unsigned) and publishes it signed.
  --url URL          where the signed list will be published (entries' statusListCredential)
  --purpose P        revocation (permanent) or suspension (can be reinstated)
  --length N         number of entries, a multiple of 8, at least ${MIN_STATUS_LIST_LENGTH} (default)
  --index N          the credential's statusListIndex
revoke needs a revocation list; suspend and reinstate need a suspension list (a revocation cannot
be undone).
SIGN OPTIONS:
  --key FILE         the issuer's key file; the list is issued by its DID
  --out FILE         where to write the signed list (default: FILE with .jwt instead of .json)
  --valid-hours H    the signed list expires after H hours (default 48); publish a new one before
  --ttl-minutes M    tell verifiers to refresh after M minutes (credentialSubject.ttl)
`;

const SIGN_OPTIONS = {
  key: { type: "string" },
  sign: { type: "boolean" },
  out: { type: "string" },
  "valid-hours": { type: "string" },
  "ttl-minutes": { type: "string" },
} as const;

function defaultJwtPath(listPath: string): string {
  const name = basename(listPath);
  return join(dirname(listPath), `${name.endsWith(".json") ? name.slice(0, -5) : name}.jwt`);
}

/** Signs the list file at `listPath` and writes the JWT; returns where it went. */
async function signList(listPath: string, p: Parsed, io: CliIo): Promise<string> {
  const key = await loadKeyFile(required(p, "key"), io);
  if (!canIssue(key.did)) throw new CliUsageError(`${key.did} cannot issue status lists: use a did:web or did:key issuer key.`);
  const validHours = integer(p, "valid-hours", 1, 24 * 366) ?? 48;
  const ttlMinutes = integer(p, "ttl-minutes", 1, 24 * 60 * 366);
  const { file, list } = await loadStatusListFile(listPath, io);
  const now = io.now();
  let jwt: string;
  try {
    const payload = buildStatusListCredential({
      url: file.url,
      issuer: key.did,
      purpose: file.purpose,
      list,
      issuedAt: now,
      validUntil: new Date(now.getTime() + validHours * 3_600_000),
      ...(ttlMinutes !== undefined ? { ttlMs: ttlMinutes * 60_000 } : {}),
    });
    jwt = await signStatusListCredential(payload, key);
  } catch (cause) {
    if (cause instanceof StatusListError) throw new CliInputError(`${listPath}: ${cause.message} (${cause.code})`, { cause });
    throw cause;
  }
  const out = optional(p, "out") ?? defaultJwtPath(listPath);
  await writeFileSafely(out, jwt + "\n");
  return out;
}

function purposeFrom(p: Parsed): StatusPurpose {
  const value = required(p, "purpose");
  const parsed = StatusPurpose.safeParse(value);
  if (!parsed.success) throw new CliUsageError(`--purpose must be revocation or suspension, not "${value}".`);
  return parsed.data;
}

async function newList(argv: string[], io: CliIo): Promise<number> {
  const p = parse(argv, { list: { type: "string" }, url: { type: "string" }, purpose: { type: "string" }, length: { type: "string" }, force: { type: "boolean" } });
  if (flag(p, "help")) return help(io);
  const path = required(p, "list");
  const url = required(p, "url");
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new CliUsageError(`--url must be an http(s) URL, not "${url}".`);
  const purpose = purposeFrom(p);
  const length = integer(p, "length", 8, 2 ** 31) ?? MIN_STATUS_LIST_LENGTH;
  let list;
  try {
    list = createStatusList(length);
  } catch (cause) {
    throw new CliUsageError(`--length: ${(cause as Error).message}`, { cause });
  }
  const file = await saveStatusListFile(path, { url, purpose }, list, io.now(), { exclusive: !flag(p, "force") });
  io.stdout(JSON.stringify({ list: path, url, purpose, length: file.length }, null, 2) + "\n");
  return EXIT_OK;
}

const CHANGES = {
  revoke: { purpose: "revocation", set: true, status: "revoked" },
  suspend: { purpose: "suspension", set: true, status: "suspended" },
  reinstate: { purpose: "suspension", set: false, status: "reinstated" },
} as const;

async function changeEntry(action: keyof typeof CHANGES, argv: string[], io: CliIo): Promise<number> {
  const p = parse(argv, { list: { type: "string" }, index: { type: "string" }, ...SIGN_OPTIONS });
  if (flag(p, "help")) return help(io);
  const path = required(p, "list");
  const index = integer(p, "index", 0, 2 ** 31 - 1);
  if (index === undefined) throw new CliUsageError("--index is required.");
  if (flag(p, "sign") && optional(p, "key") === undefined) throw new CliUsageError("--sign needs --key.");
  if (!flag(p, "sign") && optional(p, "key") !== undefined) throw new CliUsageError("--key is used only with --sign.");

  const change = CHANGES[action];
  const { file, list } = await loadStatusListFile(path, io);
  if (file.purpose !== change.purpose) {
    const why = action === "reinstate" && file.purpose === "revocation" ? " A revocation cannot be undone." : "";
    throw new CliUsageError(`${path} is a ${file.purpose} list; ${action} needs a ${change.purpose} list.${why}`);
  }
  let next;
  let before: boolean;
  try {
    before = getStatus(list, index);
    next = change.set ? setStatus(list, index) : clearStatus(list, index);
  } catch (cause) {
    if (cause instanceof StatusListError) throw new CliUsageError(`--index: ${cause.message}`, { cause });
    throw cause;
  }
  await saveStatusListFile(path, file, next, io.now());
  const result: Record<string, unknown> = { list: path, url: file.url, index, status: change.status, changed: before !== change.set };
  if (flag(p, "sign")) result.signed = await signList(path, p, io);
  io.stdout(JSON.stringify(result, null, 2) + "\n");
  return EXIT_OK;
}

async function sign(argv: string[], io: CliIo): Promise<number> {
  const p = parse(argv, { list: { type: "string" }, ...SIGN_OPTIONS });
  if (flag(p, "help")) return help(io);
  const path = required(p, "list");
  const out = await signList(path, p, io);
  io.stdout(JSON.stringify({ list: path, signed: out }, null, 2) + "\n");
  return EXIT_OK;
}

async function show(argv: string[], io: CliIo): Promise<number> {
  const p = parse(argv, { list: { type: "string" }, index: { type: "string" } });
  if (flag(p, "help")) return help(io);
  const path = required(p, "list");
  const index = integer(p, "index", 0, 2 ** 31 - 1);
  const { file, list } = await loadStatusListFile(path, io);
  const set = listSetStatuses(list);
  const result: Record<string, unknown> = { list: path, url: file.url, purpose: file.purpose, length: list.length, setCount: set.length, updatedAt: file.updatedAt };
  if (index !== undefined) {
    try {
      result.index = { index, set: getStatus(list, index) };
    } catch (cause) {
      if (cause instanceof StatusListError) throw new CliUsageError(`--index: ${cause.message}`, { cause });
      throw cause;
    }
  }
  io.stdout(JSON.stringify(result, null, 2) + "\n");
  return EXIT_OK;
}

function help(io: CliIo): number {
  io.stdout(STATUS_HELP);
  return EXIT_OK;
}

export async function statusCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case "new":
      return newList(rest, io);
    case "revoke":
    case "suspend":
    case "reinstate":
      return changeEntry(sub, rest, io);
    case "sign":
      return sign(rest, io);
    case "show":
      return show(rest, io);
    case "help":
    case "--help":
    case "-h":
      return help(io);
    case undefined:
      io.stderr(STATUS_HELP);
      return EXIT_USAGE;
    default:
      throw new CliUsageError(`Unknown command: haki status ${sub}. Try: haki status --help`);
  }
}
