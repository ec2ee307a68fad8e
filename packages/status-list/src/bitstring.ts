/**
 * The status list itself: a bitstring where bit `i` is the status of the credential with
 * `statusListIndex` `i` (1 = revoked or suspended, 0 = fine).
 *
 * Layout follows W3C Bitstring Status List v1.0 §2.2 and §7.1: index 0 is the left-most
 * (most significant) bit of the first byte, index `length - 1` the right-most bit of the last.
 *
 * Lists are values: every change returns a new list and leaves its input untouched, so a list
 * held in app state, a cache or a database row never changes behind its owner's back.
 */
import { StatusIndexOutOfRangeError, StatusListLengthError } from "./errors";

/**
 * The herd-privacy minimum of the spec (§3.2 step 2): 131,072 entries, 16 KB uncompressed.
 * A smaller list would let an observer narrow down whose credential a bit belongs to.
 */
export const MIN_STATUS_LIST_LENGTH = 131_072;

/** Largest list: indexes are below 2^31 in Haki's credential model. */
export const MAX_STATUS_LIST_LENGTH = 2 ** 31;

/** A Bitstring Status List in memory. Treat as immutable; use the functions below to change it. */
export interface StatusList {
  /** Number of entries (bits); always a multiple of 8. */
  readonly length: number;
  /** The bits, index 0 in the most significant bit of `bytes[0]`. */
  readonly bytes: Uint8Array;
}

/** Options shared by functions that accept a list length. */
export interface LengthOptions {
  /**
   * Smallest acceptable number of entries. Defaults to {@link MIN_STATUS_LIST_LENGTH}; lower it only
   * where an ecosystem rule allows (the spec permits that), never to save bytes.
   */
  minLength?: number;
}

function checkLength(length: number, minLength: number): void {
  if (!Number.isSafeInteger(length) || length <= 0 || length % 8 !== 0) {
    throw new StatusListLengthError(
      `A status list length must be a positive whole number of bytes (a multiple of 8), not ${String(length)}.`,
    );
  }
  if (length < minLength) {
    throw new StatusListLengthError(
      `A status list needs at least ${minLength} entries for privacy; this one has ${length}.`,
    );
  }
  if (length > MAX_STATUS_LIST_LENGTH) {
    throw new StatusListLengthError(`A status list holds at most ${MAX_STATUS_LIST_LENGTH} entries.`);
  }
}

function checkIndex(list: StatusList, index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= list.length) {
    throw new StatusIndexOutOfRangeError(index, list.length);
  }
}

/**
 * Creates a list with every status clear.
 *
 * @example
 * const list = createStatusList(); // 131,072 entries, all 0
 * const big = createStatusList(1_000_000); // 125,000 bytes
 */
export function createStatusList(length: number = MIN_STATUS_LIST_LENGTH, options: LengthOptions = {}): StatusList {
  checkLength(length, options.minLength ?? MIN_STATUS_LIST_LENGTH);
  return { length, bytes: new Uint8Array(length / 8) };
}

/**
 * Wraps raw bitstring bytes (for example a decompressed list, or a database column) as a list.
 * The bytes are copied.
 *
 * @example
 * const list = statusListFromBytes(row.bits); // length = bytes * 8
 */
export function statusListFromBytes(bytes: Uint8Array, options: LengthOptions = {}): StatusList {
  const length = bytes.length * 8;
  checkLength(length, options.minLength ?? MIN_STATUS_LIST_LENGTH);
  return { length, bytes: Uint8Array.from(bytes) };
}

const mask = (index: number): number => 0x80 >>> (index & 7);

/**
 * Reads one status: `true` when the bit is set (revoked / suspended).
 *
 * @example
 * getStatus(list, 94567); // false
 */
export function getStatus(list: StatusList, index: number): boolean {
  checkIndex(list, index);
  return ((list.bytes[index >>> 3] ?? 0) & mask(index)) !== 0;
}

/**
 * Returns a copy of the list with the bit at `index` set (revoked / suspended).
 *
 * @example
 * const revoked = setStatus(list, 94567);
 * getStatus(revoked, 94567); // true, and getStatus(list, 94567) is still false
 */
export function setStatus(list: StatusList, index: number): StatusList {
  return updateStatuses(list, { set: [index] });
}

/**
 * Returns a copy of the list with the bit at `index` cleared (reinstated).
 *
 * @example
 * const reinstated = clearStatus(suspended, 23452);
 */
export function clearStatus(list: StatusList, index: number): StatusList {
  return updateStatuses(list, { clear: [index] });
}

/**
 * Applies many changes with one copy of the list (bulk revocation after a death-notice import,
 * suspension of a whole cycle under review). Clears are applied after sets. All indexes are
 * checked before anything changes, so a bad index leaves no half-applied batch.
 *
 * @example
 * const next = updateStatuses(list, { set: [4, 99], clear: [7] });
 */
export function updateStatuses(
  list: StatusList,
  changes: { set?: Iterable<number>; clear?: Iterable<number> },
): StatusList {
  const set = [...(changes.set ?? [])];
  const clear = [...(changes.clear ?? [])];
  for (const index of set) checkIndex(list, index);
  for (const index of clear) checkIndex(list, index);
  const bytes = Uint8Array.from(list.bytes);
  for (const index of set) bytes[index >>> 3] = (bytes[index >>> 3] ?? 0) | mask(index);
  for (const index of clear) bytes[index >>> 3] = (bytes[index >>> 3] ?? 0) & ~mask(index);
  return { length: list.length, bytes };
}

/**
 * Lists the indexes whose status is set, in increasing order (for reports and audits).
 *
 * @example
 * listSetStatuses(setStatus(list, 5)); // [5]
 */
export function listSetStatuses(list: StatusList): number[] {
  const out: number[] = [];
  list.bytes.forEach((byte, i) => {
    if (byte === 0) return;
    for (let bit = 0; bit < 8; bit++) {
      if (byte & (0x80 >>> bit)) out.push(i * 8 + bit);
    }
  });
  return out;
}
