/**
 * Fields of the console's list filters (query strings), where an empty field means "any".
 */
import { z } from "zod";

/**
 * Text of at most `max` characters, trimmed; empty or missing is `undefined`.
 *
 * @example
 * z.object({ area: OptionalText(64) }).parse({ area: " " }); // { area: undefined }
 */
export const OptionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => v || undefined);
