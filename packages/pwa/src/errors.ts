/**
 * Errors of the browser layer both PWAs share: one class per failure, each with a stable `code`.
 * Apps show plain words by `code` (i18n key `errors.<code>` or `reason.<code>`), never the message.
 */
export const STORAGE_ERROR_CODES = ["ERR_STORAGE_QUOTA", "ERR_STORAGE_UNAVAILABLE", "ERR_STORAGE_DAMAGED"] as const;
export const CAMERA_ERROR_CODES = ["ERR_CAMERA_DENIED", "ERR_NO_CAMERA"] as const;
export type PwaErrorCode = (typeof STORAGE_ERROR_CODES)[number] | (typeof CAMERA_ERROR_CODES)[number];

/** Base class: `code` is stable and what callers and tests switch on. */
export class PwaError extends Error {
  readonly code: PwaErrorCode;
  constructor(code: PwaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** The browser refused to store more (the phone is full, or the site's quota is used up). */
export class StorageQuotaError extends PwaError {
  static readonly code = "ERR_STORAGE_QUOTA";
  constructor(options?: { cause?: unknown }) {
    super("ERR_STORAGE_QUOTA", "The phone is out of space for this app.", options);
  }
}

/** IndexedDB could not be opened (private mode, blocked by settings, a newer version open). */
export class StorageUnavailableError extends PwaError {
  static readonly code = "ERR_STORAGE_UNAVAILABLE";
  constructor(options?: { cause?: unknown }) {
    super("ERR_STORAGE_UNAVAILABLE", "This browser does not let the app save data.", options);
  }
}

/** A stored value failed its schema: damaged on disk, or edited by hand. */
export class StorageDamagedError extends PwaError {
  static readonly code = "ERR_STORAGE_DAMAGED";
  constructor(what: string, options?: { cause?: unknown }) {
    super("ERR_STORAGE_DAMAGED", `Stored ${what} is damaged`, options);
  }
}

/** The camera cannot be opened: `ERR_CAMERA_DENIED` (permission) or `ERR_NO_CAMERA`. */
export class CameraError extends PwaError {
  constructor(code: "ERR_CAMERA_DENIED" | "ERR_NO_CAMERA", options?: { cause?: unknown }) {
    super(code, code === "ERR_CAMERA_DENIED" ? "Camera permission denied" : "No camera", options);
  }
}

/**
 * Turns IndexedDB's quota failure (a `QuotaExceededError` DOMException, itself or as the cause of
 * an aborted transaction) into `StorageQuotaError`; anything else is returned as it is.
 *
 * @example
 * try { await tx.done } catch (e) { throw toStorageError(e) }
 */
export function toStorageError(error: unknown): unknown {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === "QuotaExceededError") return new StorageQuotaError({ cause: error });
  const inner = (error as { cause?: { name?: unknown } } | null)?.cause?.name;
  if (inner === "QuotaExceededError") return new StorageQuotaError({ cause: error });
  return error;
}

/**
 * The stable code of any error an app shows (coded errors carry one), else `ERR_UNKNOWN`.
 *
 * @example
 * t(`reason.${errorCode(e)}`);
 */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_") ? code : "ERR_UNKNOWN";
}
