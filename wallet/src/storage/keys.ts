/**
 * Every storage name the wallet uses, in one place: the IndexedDB database, its stores and
 * indexes, the localStorage keys, and how record AADs are built. Change a name here and add a
 * migration in ./db.ts, never elsewhere.
 */
export const DB_NAME = "haki-wallet";

export const STORE = {
  /** One row per household member: label, vault header (wrapped data key), throttle copy 1. */
  profiles: "profiles",
  /** Throttle copy 2, keyed by profile id (see @haki/secure-store/throttle). */
  throttle: "throttle",
  /** Encrypted records of all profiles, keyed [profileId, kind, id]. */
  records: "records",
} as const;

export const INDEX = {
  recordsByProfileKind: "byProfileKind",
  recordsByProfile: "byProfile",
} as const;

/** What an encrypted record holds. */
export const RECORD_KINDS = ["credential", "key", "history", "status"] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Settings that are not secret and are needed before any PIN is typed. */
export const LOCAL_KEY = {
  locale: "haki.wallet.locale",
  textSize: "haki.wallet.textSize",
} as const;

/** AAD of a record: binds the ciphertext to its profile, kind and id. */
export function recordAad(profileId: string, kind: RecordKind, id: string): string {
  return `haki-wallet/v1/${profileId}/${kind}/${id}`;
}
