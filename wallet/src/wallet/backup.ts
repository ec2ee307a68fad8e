/**
 * Backup of one profile to an encrypted file, and restore on a new phone. The file holds the
 * profile's label, holder key (so restored cards can still be shown), cards and history, encrypted
 * under a backup password (see @haki/secure-store/backup).
 */
import { z } from "zod";
import { Ed25519PrivateJwk } from "@haki/credentials/keys";
import { createBackup, readBackup } from "@haki/secure-store/backup";
import { BackupCorruptError } from "@haki/secure-store/errors";
import type { WalletDb } from "../storage/db";
import { PROFILE_COLORS, createProfile, deleteProfile, type KdfOptions, type Session } from "../storage/profiles";
import { listRecords, putRecords } from "../storage/records";
import { exportHolderKeyForBackup, importHolderKeyFromBackup } from "./holder-key";
import { HistoryEvent, StoredCredential } from "./schemas";

export const BACKUP_APP = "haki-wallet";

export const BackupPayload = z.object({
  profile: z.object({ label: z.string().trim().min(1).max(40), color: z.enum(PROFILE_COLORS) }),
  holderKey: Ed25519PrivateJwk,
  credentials: z.array(z.object({ id: z.string().min(1).max(200), value: StoredCredential })).max(10_000),
  history: z.array(z.object({ id: z.string().min(1).max(200), value: HistoryEvent })).max(100_000),
});
export type BackupPayload = z.infer<typeof BackupPayload>;

/**
 * The text of an encrypted backup file of the unlocked profile.
 *
 * @example
 * const text = await exportProfileBackup(db, session, "my long password");
 */
export async function exportProfileBackup(
  db: WalletDb,
  session: Session,
  password: string,
  options: KdfOptions & { now?: Date } = {},
): Promise<string> {
  const [credentials, history, holderKey] = await Promise.all([
    listRecords(db, session, "credential", StoredCredential),
    listRecords(db, session, "history", HistoryEvent),
    exportHolderKeyForBackup(db, session),
  ]);
  const payload: BackupPayload = {
    profile: { label: session.profile.label, color: session.profile.color },
    holderKey,
    credentials: credentials.items,
    history: history.items,
  };
  return createBackup(payload, password, { app: BACKUP_APP, ...options });
}

/**
 * Restores a backup as a new profile on this phone, under a new PIN. Nothing is written until the
 * file has been opened and checked; if writing fails half way the new profile is removed again, and
 * existing profiles are never touched. Throws ERR_BACKUP_PASSWORD / ERR_BACKUP_CORRUPT.
 *
 * @example
 * const session = await restoreProfileBackup(db, await file.text(), password, { pin: "482913" });
 */
export async function restoreProfileBackup(
  db: WalletDb,
  text: string,
  password: string,
  input: { pin: string; label?: string; now?: Date },
  options: KdfOptions = {},
): Promise<Session> {
  const raw = await readBackup(text, password, { app: BACKUP_APP });
  const parsed = BackupPayload.safeParse(raw);
  if (!parsed.success) throw new BackupCorruptError(undefined, { cause: parsed.error });
  const payload = parsed.data;
  const now = input.now ?? new Date();
  const session = await createProfile(
    db,
    { label: input.label ?? payload.profile.label, color: payload.profile.color, pin: input.pin, now },
    options,
  );
  try {
    await importHolderKeyFromBackup(db, session, payload.holderKey, now);
    await putRecords(db, session, [
      ...payload.credentials.map((c) => ({ kind: "credential" as const, id: c.id, value: c.value })),
      ...payload.history.map((h) => ({ kind: "history" as const, id: h.id, value: h.value })),
      { kind: "history", id: `restored-${now.getTime()}`, value: { at: now.toISOString(), event: "restored" } satisfies HistoryEvent },
    ]);
  } catch (e) {
    await deleteProfile(db, session.profile.id).catch(() => undefined);
    throw e;
  }
  return session;
}
