/**
 * The supervisor PIN that guards the device's settings (freshness limits, the phone-code window,
 * language): chosen once by whoever sets the device up, asked each time the settings open. Kept as
 * a PBKDF2-wrapped key (`@haki/secure-store/vault`), so the PIN cannot be read back from storage;
 * wrong tries are throttled like the wallet's (3 free, then 30 s doubling to 1 h).
 */
import { PinLockedError, WrongPinError } from "@haki/secure-store/errors";
import { INITIAL_THROTTLE, checkThrottle, recordPinFailure } from "@haki/secure-store/throttle";
import { createVault, openVault } from "@haki/secure-store/vault";
import type { VerifierDb } from "../storage/db";

const VAULT_ID = "haki-verifier/supervisor";

/**
 * @example
 * if (!(await hasSupervisorPin(db))) askToChooseOne();
 */
export async function hasSupervisorPin(db: VerifierDb): Promise<boolean> {
  return (await db.getSupervisor()) !== undefined;
}

/**
 * Sets the supervisor PIN: the first time freely, later only with the current one. Throws
 * `WeakPinError` (ERR_WEAK_PIN), `WrongPinError` or `PinLockedError`.
 *
 * @example
 * await setSupervisorPin(db, "482913");
 * await setSupervisorPin(db, "905172", { current: "482913" });
 */
export async function setSupervisorPin(
  db: VerifierDb,
  pin: string,
  options: { current?: string; now?: number; iterations?: number } = {},
): Promise<void> {
  if (await hasSupervisorPin(db)) await checkSupervisorPin(db, options.current ?? "", options.now);
  const { header } = await createVault(VAULT_ID, pin, options.iterations ? { iterations: options.iterations } : {});
  await db.putSupervisor({ vault: header, throttle: INITIAL_THROTTLE });
}

/**
 * Checks the supervisor PIN; resolves when right. Throws `PinLockedError` (ERR_PIN_LOCKED) while a
 * wait is on and `WrongPinError` (ERR_WRONG_PIN, with `failures` and `retryAt`) when wrong; the
 * count is stored before the error is thrown, so a reload does not reset it.
 *
 * @example
 * await checkSupervisorPin(db, typed);
 */
export async function checkSupervisorPin(db: VerifierDb, pin: string, now: number = Date.now()): Promise<void> {
  const record = await db.getSupervisor();
  if (!record) return;
  const gate = checkThrottle(record.throttle, now);
  if (!gate.allowed) throw new PinLockedError(gate.retryAt);
  if (await openVault(VAULT_ID, record.vault, pin)) {
    if (record.throttle.failures > 0) await db.putSupervisor({ ...record, throttle: INITIAL_THROTTLE });
    return;
  }
  const throttle = recordPinFailure(record.throttle, now);
  await db.putSupervisor({ ...record, throttle });
  throw new WrongPinError(throttle.failures, checkThrottle(throttle, now).retryAt);
}
