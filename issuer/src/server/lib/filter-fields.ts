/**
 * Fields of the console's list filters (query strings), where an empty field means "any".
 */
import { z } from "zod";

/**
 * Text of at most `max` characters, trimmed (and upper-cased with `upperCase`, e.g. a beneficiary
 * reference); empty or missing is `undefined`.
 *
 * @example
 * z.object({ area: OptionalText(64) }).parse({ area: " " }); // { area: undefined }
 * OptionalText(40, { upperCase: true }).parse(" hk-7m2q "); // "HK-7M2Q"
 */
export const OptionalText = (max: number, options: { upperCase?: boolean } = {}) => {
  const text = z.string().trim();
  return (options.upperCase ? text.toUpperCase() : text)
    .max(max)
    .optional()
    .transform((v) => v || undefined);
};
