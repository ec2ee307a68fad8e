/**
 * What the service point operator decides on the device: how old trust data may get before the
 * device warns (or, if the operator chooses, stops giving green answers), and how fresh a phone's
 * live proof must be. The programme's own limit comes on top and is not a setting: a status list
 * is never used past its `validUntil` (the programme's offline tolerance, 7 days by default).
 */
import * as z from "zod";

export const OperatorSettings = z.object({
  /** Trust bundle older than this (since it was fetched) is "old": see `whenOutdated`. */
  maxTrustAgeHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
  /** Status lists older than this (since they were fetched) are "old": see `whenOutdated`. */
  maxStatusAgeHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
  /**
   * What an answer based on old data gives, until the lists' own `validUntil` ends all answers:
   * "warn" (the default) stays green and says "the lists on this device are N days old";
   * "refuse" answers red (ERR_TRUST_STALE / ERR_STATUS_STALE).
   */
  whenOutdated: z.enum(["warn", "refuse"]).default("warn"),
  /** A live proof from a phone must have been made within this many seconds. */
  presentationWindowSeconds: z.number().int().min(10).max(3600).default(120),
  /**
   * Refuse a phone's code that carries no counter code (ERR_COUNTER_CODE_REQUIRED). Off by default:
   * wallets installed before the counter code cannot add one until they update (updates wait for
   * the person's consent), and typing four digits is a step some people need help with; turning it
   * on where clerks can read the code out closes the relay of a photo between counters. A code
   * that is there is always checked, whatever this says.
   */
  requireCounterCode: z.boolean().default(false),
  /** Tolerated clock difference between the phone and this device. */
  clockSkewSeconds: z.number().int().min(0).max(600).default(60),
  locale: z.enum(["en", "fr", "ar", "sw"]).default("en"),
  sound: z.boolean().default(true),
  vibration: z.boolean().default(true),
  largeText: z.boolean().default(true),
});
export type OperatorSettings = z.infer<typeof OperatorSettings>;

/**
 * Settings with every default filled in.
 *
 * @example
 * const s = defaultSettings(); // { maxTrustAgeHours: 72, presentationWindowSeconds: 120, ... }
 */
export function defaultSettings(): OperatorSettings {
  return OperatorSettings.parse({});
}
