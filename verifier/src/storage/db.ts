/**
 * The verifier's IndexedDB: every key and store name is in ./keys.ts, every schema change is a
 * numbered migration here, and every read is validated with zod (storage can be damaged, or edited by hand on a
 * shared tablet). Implements the redemption package's `LocalStore` over it.
 */
import { BindingKey } from "@haki/id-binding/model";
import type { Balance } from "@haki/redemption/ledger";
import { Balance as BalanceSchema } from "@haki/redemption/ledger";
import { OperatorSettings, defaultSettings } from "@haki/redemption/settings";
import { PublicJwk, SetupPayload } from "@haki/redemption/setup";
import { BalanceConflictError, OutboxItem, type LocalStore } from "@haki/redemption/stores";
import { createCounterSecret } from "@haki/redemption/counter-code";
import { FeedCursor, mergeHandOver, type HandOverFeedStore } from "@haki/redemption/hand-over-feed";
import { StoredTrustBundle } from "@haki/redemption/trust-bundle-model";
import {
  parseStatusListCache,
  serializeStatusListCache,
  type StatusListCache,
} from "@haki/status-list/cache";
import { guardQuota, openAppDb, parseStored as parse, type Migration } from "@haki/pwa/storage";
import { z } from "zod";
import { ThrottleState } from "@haki/secure-store/throttle";
import { VaultHeader } from "@haki/secure-store/vault";
import { DB_NAME, INDEX, META, STORE as STORES } from "./keys";

export { DB_NAME };

/** Migration n brings the database from version n to n + 1. Never edit one that shipped. */
const MIGRATIONS: Migration[] = [
  (db) => {
    db.createObjectStore(STORES.meta);
    db.createObjectStore(STORES.seen, { keyPath: "id" }).createIndex("expiresAt", "expiresAt");
    db.createObjectStore(STORES.balances, { keyPath: "entitlement" });
    db.createObjectStore(STORES.outbox, { keyPath: "id" }).createIndex("createdAt", "createdAt");
    db.createObjectStore(STORES.statusLists, { keyPath: "url" });
  },
  (db) => {
    db.createObjectStore(STORES.notes, { keyPath: "receipt" }).createIndex(INDEX.notesByPresentation, "presentation");
  },
];
export const DB_VERSION = MIGRATIONS.length;

/** The device's own key: the private half is a non-extractable CryptoKey that never leaves IndexedDB. */
export const DeviceRecord = z.object({
  publicJwk: PublicJwk,
  privateKey: z.custom<CryptoKey>(
    (v) => typeof CryptoKey !== "undefined" && v instanceof CryptoKey,
    "a CryptoKey",
  ),
  createdAt: z.number().int(),
});
export type DeviceRecord = z.infer<typeof DeviceRecord>;

/** What enrolment left: where the issuer is and who this device is. */
export const Enrolment = z.object({
  issuer: z.string().url(),
  deviceId: z.string().min(1),
  servicePoint: z.string().min(1),
  setup: SetupPayload,
  enrolledAt: z.number().int(),
  deviceLabel: z.string().optional(),
  /** The binding keys of bound programmes (`@haki/id-binding`), from the enrolment answer: secret. */
  bindingKeys: z.array(BindingKey).max(200).optional(),
});
export type Enrolment = z.infer<typeof Enrolment>;

const SeenRow = z.object({ id: z.string(), expiresAt: z.number() });

/** What the counter saw with a receipt: the name shown for the visual check, the code's one-time id. */
export const ReceiptNote = z.object({
  receipt: z.string().min(1).max(64),
  displayName: z.string().max(200).optional(),
  /** The presentation's one-time id (phone codes only). */
  presentation: z.string().max(200).optional(),
});
export type ReceiptNote = z.infer<typeof ReceiptNote>;

/** The supervisor PIN, kept as a vault header (PBKDF2-wrapped key): the PIN itself is not stored. */
export const SupervisorRecord = z.object({ vault: VaultHeader, throttle: ThrottleState });
export type SupervisorRecord = z.infer<typeof SupervisorRecord>;

const CryptoKeySchema = z.custom<CryptoKey>((v) => typeof CryptoKey !== "undefined" && v instanceof CryptoKey, "a CryptoKey");

export interface VerifierDb extends LocalStore, HandOverFeedStore {
  /** The counter code secret, made on first use (`@haki/redemption/counter-code`). */
  getCounterSecret(): Promise<CryptoKey>;
  getDevice(): Promise<DeviceRecord | undefined>;
  putDevice(d: DeviceRecord): Promise<void>;
  getEnrolment(): Promise<Enrolment | undefined>;
  putEnrolment(e: Enrolment): Promise<void>;
  getSettings(): Promise<OperatorSettings>;
  putSettings(s: OperatorSettings): Promise<void>;
  getTrust(): Promise<StoredTrustBundle | undefined>;
  putTrust(t: StoredTrustBundle): Promise<void>;
  getStatusLists(): Promise<StatusListCache[]>;
  putStatusList(l: StatusListCache): Promise<void>;
  putNote(n: ReceiptNote): Promise<void>;
  listNotes(): Promise<ReceiptNote[]>;
  /** The note of the receipt recorded with this presentation id, if any. */
  noteForPresentation(presentation: string): Promise<ReceiptNote | undefined>;
  getSupervisor(): Promise<SupervisorRecord | undefined>;
  putSupervisor(s: SupervisorRecord): Promise<void>;
  close(): void;
}

/**
 * Opens (and migrates) the verifier database. Reads throw `StorageDamagedError`
 * (ERR_STORAGE_DAMAGED: the app offers to set the device up again), writes `StorageQuotaError`
 * (ERR_STORAGE_QUOTA: the operator is told to send receipts and free space).
 *
 * @example
 * const db = await openVerifierDb();
 * const settings = await db.getSettings();
 */
export async function openVerifierDb(name: string = DB_NAME): Promise<VerifierDb> {
  const raw = await openAppDb(name, MIGRATIONS);
  /** A meta record checked against its schema; undefined when there is none. */
  const getMeta = async <S extends z.ZodType>(key: string, schema: S, what: string): Promise<z.infer<S> | undefined> => {
    const v: unknown = await raw.get(STORES.meta, key);
    return v === undefined ? undefined : parse(schema, v, what);
  };
  /** A meta record checked against its schema, then stored (a full disk becomes a coded error). */
  const putMeta = async <S extends z.ZodType>(key: string, schema: S, value: z.input<S>): Promise<void> => {
    await guardQuota(raw.put(STORES.meta, schema.parse(value), key));
  };

  return {
    close: () => raw.close(),
    getDevice: () => getMeta(META.device, DeviceRecord, "device key"),
    async putDevice(d) {
      await guardQuota(raw.put(STORES.meta, d, META.device));
    },
    getEnrolment: () => getMeta(META.enrolment, Enrolment, "enrolment"),
    putEnrolment: (e) => putMeta(META.enrolment, Enrolment, e),
    async getSettings() {
      const v: unknown = await raw.get(STORES.meta, META.settings);
      if (v === undefined) return defaultSettings();
      // A damaged settings record is not worth stopping the counter for: fall back to defaults.
      const r = OperatorSettings.safeParse(v);
      return r.success ? r.data : defaultSettings();
    },
    putSettings: (s) => putMeta(META.settings, OperatorSettings, s),
    getTrust: () => getMeta(META.trust, StoredTrustBundle, "trust bundle"),
    putTrust: (t) => putMeta(META.trust, StoredTrustBundle, t),
    async getStatusLists() {
      const rows: unknown[] = await raw.getAll(STORES.statusLists);
      const out: StatusListCache[] = [];
      for (const row of rows) {
        try {
          out.push(parseStatusListCache(row));
        } catch {
          // A damaged list counts as missing: checks answer "status unknown" until the next refresh.
        }
      }
      return out;
    },
    async putStatusList(l) {
      await guardQuota(raw.put(STORES.statusLists, serializeStatusListCache(l)));
    },
    async putNote(n) {
      await guardQuota(raw.put(STORES.notes, ReceiptNote.parse(n)));
    },
    async listNotes() {
      const rows: unknown[] = await raw.getAll(STORES.notes);
      return rows.map((r) => parse(ReceiptNote, r, "receipt note"));
    },
    async noteForPresentation(presentation) {
      const v: unknown = await raw.getFromIndex(STORES.notes, INDEX.notesByPresentation, presentation);
      return v === undefined ? undefined : parse(ReceiptNote, v, "receipt note");
    },
    getSupervisor: () => getMeta(META.supervisor, SupervisorRecord, "supervisor PIN"),
    putSupervisor: (sup) => putMeta(META.supervisor, SupervisorRecord, sup),

    async getCounterSecret() {
      const v: unknown = await raw.get(STORES.meta, META.counterSecret);
      if (v !== undefined) return parse(CryptoKeySchema, v, "counter code secret");
      const secret = await createCounterSecret();
      // Two screens asking at once: the first one stored wins, so both show the same code.
      const tx = raw.transaction(STORES.meta, "readwrite");
      const again: unknown = await tx.store.get(META.counterSecret);
      if (again === undefined) await guardQuota(tx.store.put(secret, META.counterSecret));
      await tx.done;
      return again === undefined ? secret : parse(CryptoKeySchema, again, "counter code secret");
    },
    async getHandOverCursor() {
      const v: unknown = await raw.get(STORES.meta, META.handOverCursor);
      return v === undefined ? undefined : parse(FeedCursor, v, "hand-over cursor");
    },
    async mergeHandOvers(items, cursor) {
      // One transaction: the books and the cursor move together, or not at all.
      const tx = raw.transaction([STORES.balances, STORES.meta], "readwrite");
      const balances = tx.objectStore(STORES.balances);
      const writes: Promise<unknown>[] = [];
      try {
        for (const h of items) {
          const v: unknown = await balances.get(h.entitlement);
          const next = mergeHandOver(v === undefined ? undefined : parse(BalanceSchema, v, "balance"), h);
          if (next) writes.push(balances.put(BalanceSchema.parse(next)));
        }
      } catch (e) {
        tx.abort();
        await Promise.allSettled([...writes, tx.done]);
        throw e;
      }
      if (cursor !== undefined) writes.push(tx.objectStore(STORES.meta).put(cursor, META.handOverCursor));
      await guardQuota(Promise.all([...writes, tx.done]));
    },
    async hasSeen(id) {
      return (await raw.getKey(STORES.seen, id)) !== undefined;
    },
    async markSeen(id, expiresAt) {
      const tx = raw.transaction(STORES.seen, "readwrite");
      const existing = await tx.store.getKey(id);
      if (existing !== undefined) {
        await tx.done;
        return false;
      }
      await guardQuota(tx.store.put({ id, expiresAt }));
      await tx.done;
      return true;
    },
    async prune(now) {
      const tx = raw.transaction(STORES.seen, "readwrite");
      let cursor = await tx.store.index("expiresAt").openCursor(IDBKeyRange.upperBound(now, true));
      while (cursor) {
        parse(SeenRow, cursor.value, "seen id");
        await cursor.delete();
        cursor = await cursor.continue();
      }
      await tx.done;
    },
    async getBalance(entitlement) {
      const v: unknown = await raw.get(STORES.balances, entitlement);
      return v === undefined ? undefined : parse(BalanceSchema, v, "balance");
    },
    async listOutbox() {
      const rows: unknown[] = await raw.getAllFromIndex(STORES.outbox, "createdAt");
      return rows
        .map((r) => parse(OutboxItem, r, "receipt"))
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
    async putOutbox(item) {
      await guardQuota(raw.put(STORES.outbox, OutboxItem.parse(item)));
    },
    async commitRedemption({
      balance,
      previous,
      item,
    }: {
      balance: Balance;
      previous: Balance | undefined;
      item: OutboxItem;
    }) {
      const b = BalanceSchema.parse(balance);
      const i = OutboxItem.parse(item);
      const tx = raw.transaction([STORES.balances, STORES.outbox], "readwrite");
      const current: unknown = await tx.objectStore(STORES.balances).get(b.entitlement);
      const currentCount =
        current === undefined ? 0 : parse(BalanceSchema, current, "balance").receipts.length;
      if (currentCount !== (previous?.receipts.length ?? 0)) {
        tx.abort();
        await tx.done.catch(() => undefined);
        throw new BalanceConflictError();
      }
      await guardQuota(
        Promise.all([
          tx.objectStore(STORES.balances).put(b),
          tx.objectStore(STORES.outbox).put(i),
          tx.done,
        ]),
      );
    },
  };
}
