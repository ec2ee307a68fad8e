/**
 * The office's answer to a card-state request: for each card bound to the asking holder key, its
 * state (with the reason as a code, never an officer's free-text note), whom to contact, what is
 * left after the hand-overs the office has receipts for, and those hand-overs (when, where, how
 * much). Cards the holder does not hold are left out, as if they did not exist.
 */
import { Benefit } from "@haki/credentials/model";
import * as z from "zod";

const Iso = z.string().datetime();

/** Reason codes the office may give for a cancelled or suspended card (see the wallet's words). */
export const STATE_REASONS = ["death", "exit", "duplicate", "ineligible", "review", "grievance"] as const;

export const HandOver = z.object({
  at: Iso,
  /** The service point's name. */
  servicePoint: z.string().min(1).max(120),
  /** Its place name, when the office knows it. */
  place: z.string().min(1).max(120).optional(),
  /** Amount (cash, voucher value) or quantity (in kind) handed over. */
  amount: z.number().nonnegative(),
});
export type HandOver = z.infer<typeof HandOver>;

export const CardState = z.object({
  /** The credential id the wallet asked about. */
  id: z.string().min(1).max(200),
  status: z.enum(["active", "suspended", "revoked"]),
  reason: z.enum(STATE_REASONS).optional(),
  changedAt: Iso.optional(),
  programme: z.object({ id: z.string().min(1).max(64), name: z.string().min(1).max(120), contact: z.string().min(1).max(200).optional() }),
  /** The card's area as a place name. */
  area: z.object({ code: z.string().min(1).max(64), name: z.string().min(1).max(120) }).optional(),
  benefit: Benefit,
  /** What the card gives in all (amount or quantity; 1 for a voucher without a value). */
  total: z.number().nonnegative(),
  /** What is left after the hand-overs below. */
  left: z.number().nonnegative(),
  handOvers: z.array(HandOver).max(500),
});
export type CardState = z.infer<typeof CardState>;

export const CardStateResponse = z.object({
  checkedAt: Iso,
  cards: z.array(CardState).max(20),
});
export type CardStateResponse = z.infer<typeof CardStateResponse>;
