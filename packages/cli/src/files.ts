/**
 * The files the CLI reads and writes, each validated with zod where it enters.
 *
 * - key file (`haki keys new`): an Ed25519 key pair with its DID, private: written with mode 0600;
 * - status list file (`haki status new`): the issuer's working copy of one list, unsigned;
 * - trust list: `@haki/credentials/trust`'s format.
 */
import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import * as z from "zod";
import { Ed25519PrivateJwk, Ed25519PublicJwk, importKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { IssuerDid, StatusPurpose } from "@haki/credentials/model";
import { parseTrustList, type TrustList } from "@haki/credentials/trust";
import { StatusListError } from "@haki/status-list/errors";
import { decodeStatusList, encodeStatusList } from "@haki/status-list/encoding";
import type { StatusList } from "@haki/status-list/bitstring";
import { CliInputError, CliUsageError } from "./errors";
import type { CliIo } from "./io";

/** Which error a bad file raises: usage (configuration such as keys, trust) or invalid input. */
export type FileRole = "config" | "input";

function fail(role: FileRole, message: string, cause?: unknown): Error {
  return role === "config" ? new CliUsageError(message, { cause }) : new CliInputError(message, { cause });
}

/** Reads a text file, or standard input for "-". A missing file is a usage error. */
export async function readText(path: string, io: CliIo): Promise<string> {
  if (path === "-") return io.readStdin();
  try {
    return await readFile(path, "utf8");
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "does not exist" : code === "EISDIR" ? "is a folder" : "cannot be read";
    throw new CliUsageError(`The file ${path} ${why}.`, { cause });
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid";
  return issue.path.length ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

/** Reads and validates a JSON file. */
export async function readJson<T>(path: string, schema: z.ZodType<T>, role: FileRole, what: string, io: CliIo): Promise<T> {
  const text = await readText(path, io);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw fail(role, `${path} is not JSON (${what} expected).`, cause);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fail(role, `${path} is not a valid ${what}: ${firstIssue(parsed.error)}.`, parsed.error);
  return parsed.data;
}

/**
 * Writes a file through a temporary name and a rename, so a crash never leaves half a status list
 * or half a key. `exclusive` refuses to replace an existing file.
 */
export async function writeFileSafely(
  path: string,
  text: string,
  options: { mode?: number; exclusive?: boolean } = {},
): Promise<void> {
  if (options.exclusive) {
    try {
      await writeFile(path, "", { flag: "wx", mode: options.mode ?? 0o644 });
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code;
      throw new CliUsageError(
        code === "EEXIST" ? `${path} already exists; choose another name or pass --force.` : `Cannot write ${path}.`,
        { cause },
      );
    }
  }
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, text, { mode: options.mode ?? 0o644 });
    await rename(tmp, path);
  } catch (cause) {
    throw new CliUsageError(`Cannot write ${path}.`, { cause });
  }
}

// ---- key file ---------------------------------------------------------------------------------

export const KEY_FILE_TYPE = "HakiKeyFile";

export const KeyFile = z
  .object({
    type: z.literal(KEY_FILE_TYPE),
    did: z.string().regex(/^did:(key|web|jwk):/, "a did:key, did:web or did:jwk"),
    kid: z.string().min(1),
    publicJwk: Ed25519PublicJwk,
    privateJwk: Ed25519PrivateJwk,
    createdAt: z.iso.datetime({ offset: true }),
  })
  .refine((k) => k.kid.startsWith(`${k.did}#`), { message: "the key id must belong to the DID", path: ["kid"] });
export type KeyFile = z.infer<typeof KeyFile>;

/**
 * Loads a key file into a key pair, checking that its DID, key id and public key agree.
 *
 * @example
 * const issuer = await loadKeyFile("issuer-key.json", io);
 */
export async function loadKeyFile(path: string, io: CliIo): Promise<HakiKeyPair> {
  const file = await readJson(path, KeyFile, "config", "Haki key file", io);
  let pair: HakiKeyPair;
  try {
    pair = file.did.startsWith("did:web:")
      ? await importKeyPair(file.privateJwk, { did: file.did, keyId: file.kid })
      : await importKeyPair(file.privateJwk, { method: file.did.startsWith("did:jwk:") ? "jwk" : "key" });
  } catch (cause) {
    throw new CliUsageError(`${path} holds a key that cannot sign: ${(cause as Error).message}`, { cause });
  }
  if (pair.did !== file.did || pair.kid !== file.kid || pair.publicJwk.x !== file.publicJwk.x) {
    throw new CliUsageError(`${path} is inconsistent: its DID, key id or public key does not match its private key.`);
  }
  return pair;
}

/** Whether a DID can issue (the entitlement model accepts did:web and did:key issuers). */
export function canIssue(did: string): boolean {
  return IssuerDid.safeParse(did).success;
}

// ---- trust list -------------------------------------------------------------------------------

/**
 * Loads a trust list file (`@haki/credentials/trust` format).
 *
 * @example
 * const trust = await loadTrustList("trust.json", io);
 */
export async function loadTrustList(path: string, io: CliIo): Promise<TrustList> {
  const text = await readText(path, io);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new CliUsageError(`${path} is not JSON (a trust list expected).`, { cause });
  }
  try {
    return parseTrustList(value);
  } catch (cause) {
    const zodError = (cause as { cause?: unknown }).cause;
    const detail = zodError instanceof z.ZodError ? `: ${firstIssue(zodError)}` : "";
    throw new CliUsageError(`${path} is not a valid trust list${detail}.`, { cause });
  }
}

// ---- status list file -------------------------------------------------------------------------

export const STATUS_LIST_FILE_TYPE = "HakiStatusList";

/** The issuer's working copy of one status list (unsigned; `haki status sign` publishes it). */
export const StatusListFile = z.object({
  type: z.literal(STATUS_LIST_FILE_TYPE),
  /** Where the signed list is published: entries' `statusListCredential`. */
  url: z.url(),
  purpose: StatusPurpose,
  length: z.number().int().positive(),
  encodedList: z.string().startsWith("u"),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type StatusListFile = z.infer<typeof StatusListFile>;

export interface LoadedStatusList {
  file: StatusListFile;
  list: StatusList;
}

/** Reads a status list file and decodes its list. */
export async function loadStatusListFile(path: string, io: CliIo): Promise<LoadedStatusList> {
  const file = await readJson(path, StatusListFile, "input", "Haki status list file", io);
  let list: StatusList;
  try {
    list = decodeStatusList(file.encodedList);
  } catch (cause) {
    const why = cause instanceof StatusListError ? `${cause.message} (${cause.code})` : "its list cannot be read";
    throw new CliInputError(`${path}: ${why}`, { cause });
  }
  if (list.length !== file.length) {
    throw new CliInputError(`${path} says it holds ${file.length} entries but its list holds ${list.length}.`);
  }
  return { file, list };
}

/** Writes a status list file with a new list. */
export async function saveStatusListFile(
  path: string,
  file: Omit<StatusListFile, "encodedList" | "length" | "updatedAt" | "type">,
  list: StatusList,
  now: Date,
  options: { exclusive?: boolean } = {},
): Promise<StatusListFile> {
  const out: StatusListFile = {
    type: STATUS_LIST_FILE_TYPE,
    url: file.url,
    purpose: file.purpose,
    length: list.length,
    encodedList: encodeStatusList(list),
    updatedAt: now.toISOString(),
  };
  await writeFileSafely(path, JSON.stringify(out, null, 2) + "\n", options);
  return out;
}
