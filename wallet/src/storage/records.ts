/**
 * Encrypted records of one unlocked profile. Each value is sealed with AES-GCM under the profile's
 * data key, with `profile/kind/id` as AAD; reads decrypt and then validate with a zod schema.
 */
import type { z } from "zod";
import { openJson, sealJson } from "@haki/secure-store/crypto";
import { toStorageError } from "@haki/pwa/storage";
import { RecordTamperedError } from "@haki/secure-store/errors";
import type { RecordRow, WalletDb } from "./db";
import { INDEX, STORE, recordAad, type RecordKind } from "./keys";
import type { Session } from "./profiles";

/**
 * Encrypts and stores one value (replacing any with the same kind and id).
 *
 * @example
 * await putRecord(db, session, "credential", id, { jwt, receivedAt });
 */
export async function putRecord(db: WalletDb, session: Session, kind: RecordKind, id: string, value: unknown): Promise<void> {
  await putRecords(db, session, [{ kind, id, value }]);
}

/**
 * Encrypts and stores several values in one transaction: all are written or none.
 *
 * @example
 * await putRecords(db, session, [{ kind: "credential", id, value }, { kind: "history", id: h, value: ev }]);
 */
export async function putRecords(
  db: WalletDb,
  session: Session,
  items: readonly { kind: RecordKind; id: string; value: unknown }[],
): Promise<void> {
  const pid = session.profile.id;
  // Encrypt first: an IndexedDB transaction closes if it waits on anything but its own requests.
  const rows: RecordRow[] = await Promise.all(
    items.map(async (i) => ({ profileId: pid, kind: i.kind, id: i.id, sealed: await sealJson(session.dataKey, i.value, recordAad(pid, i.kind, i.id)) })),
  );
  try {
    const tx = db.transaction(STORE.records, "readwrite");
    await Promise.all([...rows.map((r) => tx.store.put(r)), tx.done]);
  } catch (e) {
    throw toStorageError(e);
  }
}

async function openRow<S extends z.ZodType>(session: Session, row: RecordRow, schema: S): Promise<z.infer<S>> {
  let value: unknown;
  try {
    value = await openJson(session.dataKey, row.sealed, recordAad(session.profile.id, row.kind, row.id));
  } catch (cause) {
    throw new RecordTamperedError({ cause });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new RecordTamperedError({ cause: parsed.error });
  return parsed.data;
}

/**
 * Reads and decrypts one value; `undefined` when absent. Throws `RecordTamperedError` when the row
 * does not decrypt or does not match `schema`.
 *
 * @example
 * const cred = await getRecord(db, session, "credential", id, StoredCredential);
 */
export async function getRecord<S extends z.ZodType>(
  db: WalletDb,
  session: Session,
  kind: RecordKind,
  id: string,
  schema: S,
): Promise<z.infer<S> | undefined> {
  const row = await db.get(STORE.records, [session.profile.id, kind, id]);
  return row ? openRow(session, row, schema) : undefined;
}

/**
 * All values of one kind for the profile. Damaged rows are reported in `damaged` (by id) rather
 * than failing the whole list.
 *
 * @example
 * const { items, damaged } = await listRecords(db, session, "credential", StoredCredential);
 */
export async function listRecords<S extends z.ZodType>(
  db: WalletDb,
  session: Session,
  kind: RecordKind,
  schema: S,
): Promise<{ items: { id: string; value: z.infer<S> }[]; damaged: string[] }> {
  const rows = await db.getAllFromIndex(STORE.records, INDEX.recordsByProfileKind, [session.profile.id, kind]);
  const items: { id: string; value: z.infer<S> }[] = [];
  const damaged: string[] = [];
  for (const row of rows) {
    try {
      items.push({ id: row.id, value: await openRow(session, row, schema) });
    } catch {
      damaged.push(row.id);
    }
  }
  return { items, damaged };
}

/**
 * Deletes one record.
 *
 * @example
 * await deleteRecord(db, session, "credential", id);
 */
export async function deleteRecord(db: WalletDb, session: Session, kind: RecordKind, id: string): Promise<void> {
  await db.delete(STORE.records, [session.profile.id, kind, id]);
}
