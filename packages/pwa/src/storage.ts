/**
 * IndexedDB for the PWAs, through `idb`: a database opened with numbered migrations (migration n
 * takes version n to n + 1, run in order inside the upgrade transaction, never edited once shipped),
 * writes whose quota failure becomes `StorageQuotaError`, and reads validated with zod (storage can
 * be damaged, or edited by hand on a shared phone).
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from "idb";
import type { z } from "zod";
import { StorageDamagedError, StorageUnavailableError, toStorageError } from "./errors";

export { StorageDamagedError, StorageQuotaError, StorageUnavailableError, toStorageError } from "./errors";
export type { DBSchema, IDBPDatabase } from "idb";

/** One schema step: gets the database and the upgrade transaction (to move data between stores). */
export type Migration<S extends DBSchema | unknown = unknown> = (
  db: IDBPDatabase<S>,
  tx: IDBPTransaction<S, StoreNames<S>[], "versionchange">,
) => void;

/**
 * Opens `name` at version `migrations.length`, running the migrations it has not seen. When
 * another tab opens a newer version this one closes its connection (that tab may upgrade; this one
 * reopens on its next load). Throws `StorageUnavailableError` when IndexedDB refuses to open.
 *
 * @example
 * const db = await openAppDb<MySchema>("haki-wallet", [(db) => db.createObjectStore("profiles")]);
 */
export async function openAppDb<S extends DBSchema | unknown = unknown>(
  name: string,
  migrations: readonly Migration<S>[],
): Promise<IDBPDatabase<S>> {
  const version = migrations.length;
  try {
    const db: IDBPDatabase<S> = await openDB<S>(name, version, {
      upgrade(database, oldVersion, _newVersion, tx) {
        for (let v = oldVersion; v < version; v++) migrations[v]?.(database, tx);
      },
      blocking() {
        db.close();
      },
    });
    return db;
  } catch (cause) {
    throw new StorageUnavailableError({ cause });
  }
}

/**
 * Awaits a write; a quota failure becomes `StorageQuotaError` (shown to the person as "out of
 * space"), other failures pass through.
 *
 * @example
 * await guardQuota(db.put("meta", value, "settings"));
 */
export async function guardQuota<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (e) {
    throw toStorageError(e);
  }
}

/**
 * Validates a value read back from storage; throws `StorageDamagedError` (ERR_STORAGE_DAMAGED)
 * naming `what` when it does not fit.
 *
 * @example
 * const enrolment = parseStored(Enrolment, await db.get("meta", "enrolment"), "enrolment");
 */
export function parseStored<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new StorageDamagedError(what, { cause: r.error });
  return r.data;
}
