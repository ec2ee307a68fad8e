/** Canonical forms list their members in one fixed order: the order is the list of keys. */

/**
 * A copy of `value` with exactly `keys`, in that order; a missing key comes out undefined, which
 * `JSON.stringify` leaves out. Members not listed are dropped.
 *
 * @example
 * inKeyOrder({ b: 1, a: 2, c: 3 }, ["a", "b"]); // { a: 2, b: 1 }
 */
export function inKeyOrder<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const key of keys) out[key] = value[key];
  return out;
}
