/**
 * Errors of the secure store: one class per failure, each with a stable `code`. Messages are plain
 * words; apps translate by `code`, never by message text. (Storage failures, quota and damage, are
 * the apps' IndexedDB layer's: `@haki/pwa/storage`.)
 */
export type SecureStoreErrorCode =
  | "ERR_WRONG_PIN"
  | "ERR_PIN_LOCKED"
  | "ERR_WEAK_PIN"
  | "ERR_RECORD_TAMPERED"
  | "ERR_BACKUP_PASSWORD"
  | "ERR_BACKUP_CORRUPT"
  | "ERR_WEAK_PASSWORD";

/** Base class: `code` is stable and what callers and tests switch on. */
export class SecureStoreError extends Error {
  readonly code: SecureStoreErrorCode;
  constructor(code: SecureStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The PIN did not open the vault. */
export class WrongPinError extends SecureStoreError {
  constructor(
    /** Wrong attempts in a row, this one included. */
    readonly failures: number,
    /** When the next attempt is allowed (ms since epoch); equals now when there is no wait. */
    readonly retryAt: number,
    options?: { cause?: unknown },
  ) {
    super("ERR_WRONG_PIN", "That PIN is not right.", options);
  }
}

/** Too many wrong PINs: the next try must wait until `retryAt`. */
export class PinLockedError extends SecureStoreError {
  constructor(readonly retryAt: number) {
    super("ERR_PIN_LOCKED", "Too many wrong PINs. Please wait before trying again.");
  }
}

/** The chosen PIN is too easy to guess or not 4 to 8 digits. */
export class WeakPinError extends SecureStoreError {
  constructor(reason: string) {
    super("ERR_WEAK_PIN", reason);
  }
}

/** A stored record failed its integrity check (changed on disk, or moved to another id). */
export class RecordTamperedError extends SecureStoreError {
  constructor(options?: { cause?: unknown }) {
    super("ERR_RECORD_TAMPERED", "Some saved data is damaged and cannot be read.", options);
  }
}

/** The backup password does not open this backup file. */
export class BackupPasswordError extends SecureStoreError {
  constructor(options?: { cause?: unknown }) {
    super("ERR_BACKUP_PASSWORD", "That password does not open this backup.", options);
  }
}

/** The file is not a Haki backup, or it was damaged. */
export class BackupCorruptError extends SecureStoreError {
  constructor(message = "This backup file is damaged or is not a Haki backup.", options?: { cause?: unknown }) {
    super("ERR_BACKUP_CORRUPT", message, options);
  }
}

/** The backup password is too short. */
export class WeakPasswordError extends SecureStoreError {
  constructor(minLength: number) {
    super("ERR_WEAK_PASSWORD", `The backup password needs at least ${minLength} characters.`);
  }
}
