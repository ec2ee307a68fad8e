/**
 * The wallet's only door to IndexedDB (`@haki/pwa/storage` over `idb`). Numbered migrations run in
 * order inside the upgrade transaction; reads are validated with zod by the callers in ./profiles
 * and ./records.
 */
import { openAppDb, type DBSchema, type IDBPDatabase, type Migration } from "@haki/pwa/storage";
import type { Sealed } from "@haki/secure-store/crypto";
import { DB_NAME, INDEX, STORE, type RecordKind } from "./keys";

/** A row of the records store: only ids in clear, the value sealed under the profile's data key. */
export interface RecordRow {
  profileId: string;
  kind: RecordKind;
  id: string;
  sealed: Sealed;
}

export interface WalletDbSchema extends DBSchema {
  [STORE.profiles]: { key: string; value: unknown };
  [STORE.throttle]: { key: string; value: unknown };
  [STORE.records]: {
    key: [string, string, string];
    value: RecordRow;
    indexes: { [INDEX.recordsByProfileKind]: [string, string]; [INDEX.recordsByProfile]: string };
  };
}

export type WalletDb = IDBPDatabase<WalletDbSchema>;

/** MIGRATIONS[n] takes the database from version n to n + 1. Never edit one that shipped. */
const MIGRATIONS: Migration<WalletDbSchema>[] = [
  (db) => {
    db.createObjectStore(STORE.profiles);
    db.createObjectStore(STORE.throttle);
    const records = db.createObjectStore(STORE.records, { keyPath: ["profileId", "kind", "id"] });
    records.createIndex(INDEX.recordsByProfileKind, ["profileId", "kind"]);
    records.createIndex(INDEX.recordsByProfile, "profileId");
  },
];

/**
 * Opens (and migrates) the wallet database; `StorageUnavailableError` (ERR_STORAGE_UNAVAILABLE)
 * when the browser will not (private mode, storage blocked).
 *
 * @example
 * const db = await openWalletDb();
 */
export function openWalletDb(name: string = DB_NAME): Promise<WalletDb> {
  return openAppDb<WalletDbSchema>(name, MIGRATIONS);
}
