/**
 * Encrypted backup files: a JSON document anyone can look at without learning anything but the KDF
 * parameters. The payload is AES-GCM under a key derived from a backup password (PBKDF2-SHA-256).
 * A small "check" block encrypted under the same key tells a wrong password apart from a damaged
 * file, so the person gets the right message.
 */
import * as z from "zod";
import {
  MIN_PBKDF2_ITERATIONS,
  PBKDF2_ITERATIONS,
  deriveKeyFromSecret,
  fromBase64Url,
  newSalt,
  openBytes,
  sealBytes,
  toBase64Url,
  utf8,
} from "./crypto";
import { BackupCorruptError, BackupPasswordError, WeakPasswordError } from "./errors";
import { SealedSchema } from "./vault";

export const BACKUP_FORMAT = "haki-backup";
export const MIN_BACKUP_PASSWORD_LENGTH = 8;
const CHECK_TEXT = "haki-backup-check";

export const BackupFile = z.object({
  format: z.literal(BACKUP_FORMAT),
  v: z.literal(1),
  /** Which app wrote it (e.g. "haki-wallet"); checked on read so files are not mixed up. */
  app: z.string().min(1).max(40),
  createdAt: z.string().datetime(),
  kdf: z.object({
    name: z.literal("PBKDF2-SHA-256"),
    iterations: z.number().int().min(MIN_PBKDF2_ITERATIONS).max(50_000_000),
    salt: z.string().regex(/^[A-Za-z0-9_-]+$/),
  }),
  check: SealedSchema,
  payload: SealedSchema,
});
export type BackupFile = z.infer<typeof BackupFile>;

function aad(file: Pick<BackupFile, "app" | "kdf">, part: "check" | "payload"): string {
  return `${BACKUP_FORMAT}/v1/${file.app}/${file.kdf.iterations}/${file.kdf.salt}/${part}`;
}

/**
 * Encrypts `payload` (any JSON value) under `password` into the text of a backup file.
 *
 * @example
 * const text = await createBackup({ profile, records }, "correct horse", { app: "haki-wallet" });
 * download(new Blob([text], { type: "application/json" }));
 */
export async function createBackup(
  payload: unknown,
  password: string,
  options: { app: string; iterations?: number; now?: Date },
): Promise<string> {
  if ([...password].length < MIN_BACKUP_PASSWORD_LENGTH) throw new WeakPasswordError(MIN_BACKUP_PASSWORD_LENGTH);
  const salt = newSalt();
  const head = {
    app: options.app,
    kdf: { name: "PBKDF2-SHA-256" as const, iterations: options.iterations ?? PBKDF2_ITERATIONS, salt: toBase64Url(salt) },
  };
  const key = await deriveKeyFromSecret(password, salt, head.kdf.iterations, ["encrypt"]);
  const file: BackupFile = {
    format: BACKUP_FORMAT,
    v: 1,
    app: head.app,
    createdAt: (options.now ?? new Date()).toISOString(),
    kdf: head.kdf,
    check: await sealBytes(key, utf8(CHECK_TEXT), aad(head, "check")),
    payload: await sealBytes(key, utf8(JSON.stringify(payload)), aad(head, "payload")),
  };
  return JSON.stringify(file, null, 1);
}

/**
 * Opens a backup file's text. Throws `BackupPasswordError` (ERR_BACKUP_PASSWORD) for a wrong
 * password, `BackupCorruptError` (ERR_BACKUP_CORRUPT) for anything not a readable backup of `app`.
 * Returns the payload, which the caller validates with its own schema.
 *
 * @example
 * const payload: unknown = await readBackup(await file.text(), password, { app: "haki-wallet" });
 */
export async function readBackup(text: string, password: string, options: { app: string }): Promise<unknown> {
  let file: BackupFile;
  try {
    file = BackupFile.parse(JSON.parse(text));
  } catch (cause) {
    throw new BackupCorruptError(undefined, { cause });
  }
  if (file.app !== options.app) throw new BackupCorruptError("This backup file was made by another app.");
  let key: CryptoKey;
  try {
    key = await deriveKeyFromSecret(password, fromBase64Url(file.kdf.salt), file.kdf.iterations, ["decrypt"]);
  } catch (cause) {
    throw new BackupCorruptError(undefined, { cause });
  }
  try {
    const check = new TextDecoder().decode(await openBytes(key, file.check, aad(file, "check")));
    if (check !== CHECK_TEXT) throw new Error("check text differs");
  } catch (cause) {
    throw new BackupPasswordError({ cause });
  }
  try {
    return JSON.parse(new TextDecoder().decode(await openBytes(key, file.payload, aad(file, "payload")))) as unknown;
  } catch (cause) {
    throw new BackupCorruptError(undefined, { cause });
  }
}
