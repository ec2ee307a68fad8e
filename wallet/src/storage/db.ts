/**
 * The wallet's only door to IndexedDB (through `idb`). Versioned migrations run in order inside
 * the upgrade transaction; reads are validated with zod by the callers in ./profiles and ./records.
 */
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from "idb";
import { StorageUnavailableError } from "@haki/secure-store/errors";
import type { Sealed } from "@haki/secure-store/crypto";
import { DB_NAME, DB_VERSION, INDEX, STORE, type RecordKind } from "./keys";

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
type UpgradeTx = IDBPTransaction<WalletDbSchema, StoreNames<WalletDbSchema>[], "versionchange">;

/** MIGRATIONS[n] takes the database from version n to n + 1. */
const MIGRATIONS: ((db: WalletDb, tx: UpgradeTx) => void)[] = [
  (db) => {
    db.createObjectStore(STORE.profiles);
    db.createObjectStore(STORE.throttle);
    const records = db.createObjectStore(STORE.records, { keyPath: ["profileId", "kind", "id"] });
    records.createIndex(INDEX.recordsByProfileKind, ["profileId", "kind"]);
    records.createIndex(INDEX.recordsByProfile, "profileId");
  },
];

/**
 * Opens (and migrates) the wallet database.
 *
 * @example
 * const db = await openWalletDb();
 */
export async function openWalletDb(name: string = DB_NAME): Promise<WalletDb> {
  if (MIGRATIONS.length !== DB_VERSION) throw new Error("DB_VERSION and MIGRATIONS disagree");
  try {
    const db: WalletDb = await openDB<WalletDbSchema>(name, DB_VERSION, {
      upgrade(db, oldVersion, _newVersion, tx) {
        for (let v = oldVersion; v < DB_VERSION; v++) MIGRATIONS[v]?.(db, tx);
      },
      blocking() {
        // A newer tab wants to upgrade: close so it can; this tab reopens on its next reload.
        db.close();
      },
    });
    return db;
  } catch (cause) {
    throw new StorageUnavailableError({ cause });
  }
}
