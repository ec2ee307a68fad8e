/**
 * Every storage name the verifier uses, in one place: the IndexedDB database, its stores and the
 * keys of its `meta` store. Change a name here and add a migration in ./db.ts, never elsewhere.
 */
export const DB_NAME = "haki-verifier";

export const STORE = {
  /** Single records by key (META below). */
  meta: "meta",
  /** One-time ids of presentations already checked here, with when they may be forgotten. */
  seen: "seen",
  /** What is left of each entitlement handed over at this device. */
  balances: "balances",
  /** Signed receipts waiting for (or done with) the issuer. */
  outbox: "outbox",
  /** Cached status list credentials, by URL. */
  statusLists: "statusLists",
  /** What the counter saw with each receipt (name shown, the code's one-time id), kept on the device. */
  notes: "notes",
} as const;

/** Indexes of the `notes` store. */
export const INDEX = {
  notesByPresentation: "byPresentation",
} as const;

/** Keys of the `meta` store. */
export const META = {
  device: "device",
  enrolment: "enrolment",
  settings: "settings",
  trust: "trust",
  /** The supervisor PIN (a vault header: nothing to read the PIN from) and its wrong-try count. */
  supervisor: "supervisor",
  /** Where this device stands in the issuer's hand-over feed (an opaque cursor). */
  handOverCursor: "handOverCursor",
  /** The counter code secret: a non-extractable HMAC key made on this device, never sent. */
  counterSecret: "counterSecret",
} as const;
