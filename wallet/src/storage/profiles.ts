/**
 * Household profiles: each has its own PIN, its own vault (data key) and its own records. The
 * profile row holds only a label, a colour, the vault header and the throttle state in clear.
 */
import { z } from "zod";
import { StorageDamagedError, toStorageError } from "@haki/pwa/storage";
import { PinLockedError, WrongPinError } from "@haki/secure-store/errors";
import {
  INITIAL_THROTTLE,
  ThrottleState,
  checkThrottle,
  mergeThrottleCopies,
  recordPinFailure,
} from "@haki/secure-store/throttle";
import { VaultHeader, changeVaultPin, createVault, openVault } from "@haki/secure-store/vault";
import type { WalletDb } from "./db";
import { INDEX, STORE } from "./keys";

export const PROFILE_COLORS = ["teal", "orange", "purple", "blue", "green", "red"] as const;

export const ProfileRow = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  /** Shown before unlocking so people can find their own profile: a first name or nickname. */
  label: z.string().trim().min(1).max(40),
  color: z.enum(PROFILE_COLORS),
  createdAt: z.string().datetime(),
  vault: VaultHeader,
  throttle: ThrottleState,
});
export type ProfileRow = z.infer<typeof ProfileRow>;
export type ProfileSummary = Pick<ProfileRow, "id" | "label" | "color" | "createdAt">;

/** An unlocked profile: only ever in memory. */
export interface Session {
  profile: ProfileSummary;
  dataKey: CryptoKey;
}

export interface KdfOptions {
  /** PBKDF2 iterations for new vaults; the default is @haki/secure-store's (600,000). */
  iterations?: number;
}

function newId(): string {
  const b = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
}

function summary(p: ProfileRow): ProfileSummary {
  return { id: p.id, label: p.label, color: p.color, createdAt: p.createdAt };
}

/**
 * The profiles on this phone, oldest first. Rows that fail validation are skipped (they can still
 * be deleted by id), so one damaged row does not lock everyone out.
 *
 * @example
 * const people = await listProfiles(db);
 */
export async function listProfiles(db: WalletDb): Promise<ProfileSummary[]> {
  const rows = await db.getAll(STORE.profiles);
  return rows
    .flatMap((r) => {
      const p = ProfileRow.safeParse(r);
      return p.success ? [summary(p.data)] : [];
    })
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

async function readProfile(db: WalletDb, id: string): Promise<ProfileRow> {
  const row = ProfileRow.safeParse(await db.get(STORE.profiles, id));
  if (!row.success) throw new StorageDamagedError(`profile ${id}`, { cause: row.error });
  return row.data;
}

/**
 * Creates a profile under a new PIN and returns it unlocked.
 *
 * @example
 * const session = await createProfile(db, { label: "Amina", pin: "482913" });
 */
export async function createProfile(
  db: WalletDb,
  input: { label: string; pin: string; color?: ProfileRow["color"]; now?: Date },
  options: KdfOptions = {},
): Promise<Session> {
  const id = newId();
  const vault = await createVault(id, input.pin, options);
  const count = (await db.count(STORE.profiles)) % PROFILE_COLORS.length;
  const row = ProfileRow.parse({
    id,
    label: input.label,
    color: input.color ?? PROFILE_COLORS[count],
    createdAt: (input.now ?? new Date()).toISOString(),
    vault: vault.header,
    throttle: INITIAL_THROTTLE,
  });
  try {
    const tx = db.transaction([STORE.profiles, STORE.throttle], "readwrite");
    await Promise.all([tx.objectStore(STORE.profiles).put(row, id), tx.objectStore(STORE.throttle).put(INITIAL_THROTTLE, id), tx.done]);
  } catch (e) {
    throw toStorageError(e);
  }
  // Ask the browser not to evict the wallet's storage under pressure (Android may otherwise clear
  // it); a refusal is not an error.
  void globalThis.navigator?.storage?.persist?.().catch(() => false);
  return { profile: summary(row), dataKey: vault.dataKey };
}

/**
 * The throttle state of a profile as both stored copies tell it (the strictest wins).
 *
 * @example
 * const { allowed, retryAt } = await getPinThrottle(db, id, Date.now());
 */
export async function getPinThrottle(
  db: WalletDb,
  profileId: string,
  now: number,
): Promise<{ allowed: boolean; retryAt: number; failures: number }> {
  const { state } = await readThrottle(db, profileId, now);
  return { ...checkThrottle(state, now), failures: state.failures };
}

async function readThrottle(db: WalletDb, profileId: string, now: number) {
  const tx = db.transaction([STORE.profiles, STORE.throttle], "readonly");
  const [row, copy] = await Promise.all([
    tx.objectStore(STORE.profiles).get(profileId),
    tx.objectStore(STORE.throttle).get(profileId),
    tx.done,
  ]);
  const inRow = (row as { throttle?: unknown } | undefined)?.throttle;
  return mergeThrottleCopies([inRow, copy], now);
}

async function writeThrottle(db: WalletDb, profileId: string, state: ThrottleState): Promise<void> {
  try {
    const tx = db.transaction([STORE.profiles, STORE.throttle], "readwrite");
    const profiles = tx.objectStore(STORE.profiles);
    // A row that reads as a profile (its throttle copy aside: that is what is being repaired) gets
    // its copy updated; the second copy is written anyway.
    const row = ProfileRow.omit({ throttle: true }).safeParse(await profiles.get(profileId));
    if (row.success) await profiles.put({ ...row.data, throttle: state }, profileId);
    await tx.objectStore(STORE.throttle).put(state, profileId);
    await tx.done;
  } catch (e) {
    throw toStorageError(e);
  }
}

/**
 * Unlocks a profile. Throws `PinLockedError` (ERR_PIN_LOCKED, with `retryAt`) while a wait is on,
 * and `WrongPinError` (ERR_WRONG_PIN, with the failure count and next `retryAt`) for a wrong PIN;
 * both survive reloads because the counter is stored before the error is thrown.
 *
 * @example
 * const session = await unlockProfile(db, id, "482913");
 */
export async function unlockProfile(
  db: WalletDb,
  profileId: string,
  pin: string,
  options: { now?: () => number } = {},
): Promise<Session> {
  const now = options.now ?? Date.now;
  const before = await readThrottle(db, profileId, now());
  if (before.tampered) await writeThrottle(db, profileId, before.state);
  const gate = checkThrottle(before.state, now());
  if (!gate.allowed) throw new PinLockedError(gate.retryAt);
  const row = await readProfile(db, profileId);
  const vault = await openVault(profileId, row.vault, pin);
  if (!vault) {
    // Re-read: another tab may have counted a failure while PBKDF2 ran.
    const latest = await readThrottle(db, profileId, now());
    const next = recordPinFailure(latest.state, now());
    await writeThrottle(db, profileId, next);
    throw new WrongPinError(next.failures, checkThrottle(next, now()).retryAt);
  }
  if (before.state.failures > 0) await writeThrottle(db, profileId, INITIAL_THROTTLE);
  return { profile: summary(row), dataKey: vault.dataKey };
}

/**
 * Changes a profile's PIN (the old PIN is checked and throttled like an unlock).
 *
 * @example
 * await changeProfilePin(db, id, "482913", "905172");
 */
export async function changeProfilePin(
  db: WalletDb,
  profileId: string,
  oldPin: string,
  newPin: string,
  options: KdfOptions & { now?: () => number } = {},
): Promise<Session> {
  await unlockProfile(db, profileId, oldPin, options);
  const row = await readProfile(db, profileId);
  const next = await changeVaultPin(profileId, row.vault, oldPin, newPin, options);
  if (!next) throw new WrongPinError(0, 0);
  try {
    await db.put(STORE.profiles, { ...row, vault: next.header }, profileId);
  } catch (e) {
    throw toStorageError(e);
  }
  return { profile: summary(row), dataKey: next.dataKey };
}

/**
 * Deletes a profile and all its records in one transaction.
 *
 * @example
 * await deleteProfile(db, id);
 */
export async function deleteProfile(db: WalletDb, profileId: string): Promise<void> {
  const tx = db.transaction([STORE.profiles, STORE.throttle, STORE.records], "readwrite");
  const keys = await tx.objectStore(STORE.records).index(INDEX.recordsByProfile).getAllKeys(profileId);
  await Promise.all([
    ...keys.map((k) => tx.objectStore(STORE.records).delete(k)),
    tx.objectStore(STORE.profiles).delete(profileId),
    tx.objectStore(STORE.throttle).delete(profileId),
    tx.done,
  ]);
}
