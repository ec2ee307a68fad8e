/**
 * JSON kept in text columns (eligibility rules, mappings, source settings, keys, programme lists)
 * is read back through a zod schema: a row edited by hand or written by an older version fails
 * here with a code naming the column, not later as a wrong value.
 */
import type { z } from "zod";

/** A stored JSON column that does not hold what the code expects (`column` names it: "Cycle.rule"). */
export class StoredDataInvalidError extends Error {
  static readonly code = "ERR_STORED_DATA_INVALID";
  readonly code = StoredDataInvalidError.code;
  constructor(
    readonly column: string,
    options?: { cause?: unknown },
  ) {
    super(`The stored ${column} is damaged or from an unknown version; it cannot be read.`, options);
    this.name = "StoredDataInvalidError";
  }
}

/**
 * Parses a JSON column and checks it with a schema.
 *
 * @example
 * const rule = readJsonColumn(EligibilityRule, cycle.rule, "Cycle.rule");
 */
export function readJsonColumn<S extends z.ZodType>(schema: S, text: string, column: string): z.output<S> {
  return readStoredValue(schema, () => JSON.parse(text), column);
}

/**
 * Decodes a stored value (`decode` may throw) and checks it with a schema.
 *
 * @example
 * const receipt = readStoredValue(Receipt, () => decodeJwt(row.jws), "Receipt.jws");
 */
export function readStoredValue<S extends z.ZodType>(schema: S, decode: () => unknown, column: string): z.output<S> {
  let value: unknown;
  try {
    value = decode();
  } catch (cause) {
    throw new StoredDataInvalidError(column, { cause });
  }
  const r = schema.safeParse(value);
  if (!r.success) throw new StoredDataInvalidError(column, { cause: r.error });
  return r.data;
}
