/**
 * The decision at the counter for a paper card that may be bound to a national ID: green only when
 * the card verifies, the ID QR verifies and the binding matches; otherwise the answer names the
 * check that failed, in plain words, and a card shown without a usable ID follows the programme's rule.
 */
import { checkIdBinding, type BindingCheck, type BindingCost, type BindingKey, type IdentityFacts } from "./binding";

/** What the programme decided for a bound card shown without a usable ID card. */
export type WithoutIdRule = "refuse" | "visual-check";

/** A check that was run elsewhere (the card by `@haki/credentials`, the ID by `@haki/claim169`). */
export type Checked<T> = ({ valid: true } & T) | { valid: false; code: string; reason: string };

export interface BoundCardInput {
  /** The verified paper card and its `credentialSubject.idBinding` (absent when the card has none). */
  card: Checked<{ idBinding?: unknown }>;
  /** The verified Claim 169 ID (its `identity`), or undefined when no ID card was shown. */
  id?: Checked<{ identity: IdentityFacts }>;
  rule: WithoutIdRule;
  keys: readonly BindingKey[];
  maxCost?: BindingCost;
}

export type CounterOutcome = "accept" | "visual-check" | "refuse";

export interface CounterDecision {
  outcome: CounterOutcome;
  /** Stable: the failing check's own code (`ERR_EXPIRED`, `ERR_CLAIM169_SIGNATURE_INVALID`, ...) or one of this package's. */
  code: string;
  reason: string;
  binding?: BindingCheck;
}

function withoutId(rule: WithoutIdRule, code: string, why: string, binding?: BindingCheck): CounterDecision {
  const reason =
    rule === "refuse"
      ? `${why} This programme needs the person's own ID card for this card: do not hand over.`
      : `${why} Check the name on the card against the person by eye, as usual.`;
  return { outcome: rule === "refuse" ? "refuse" : "visual-check", code, reason, ...(binding ? { binding } : {}) };
}

/**
 * Decides what the service point does with a paper card and (optionally) an ID card. Never throws.
 *
 * @example
 * const decision = await decideBoundCard({ card: { valid: true, idBinding }, id: { valid: true, identity }, rule: "refuse", keys });
 * decision.outcome; // "accept" | "visual-check" | "refuse"
 */
export async function decideBoundCard(input: BoundCardInput): Promise<CounterDecision> {
  const { card, id, rule, keys } = input;
  if (!card.valid) return { outcome: "refuse", code: card.code, reason: `The benefit card failed its check: ${card.reason}` };
  if (card.idBinding === undefined || card.idBinding === null) {
    return { outcome: "visual-check", code: "BINDING_ABSENT", reason: "This card is not linked to an ID card. Check the name on the card against the person by eye, as usual." };
  }
  if (id === undefined) return withoutId(rule, "ID_NOT_SHOWN", "This card is linked to the person's ID card, and none was scanned.");
  if (!id.valid) return withoutId(rule, id.code, `The ID card failed its check: ${id.reason}`);
  const binding = await checkIdBinding(card.idBinding, id.identity, keys, input.maxCost ? { maxCost: input.maxCost } : {});
  switch (binding.result) {
    case "match":
      return { outcome: "accept", code: "BINDING_MATCH", reason: "The card and the ID card both check out, and they belong to the same person.", binding };
    case "no-match":
      return { outcome: "refuse", code: binding.code, reason: `${binding.reason} Do not hand over.`, binding };
    case "no-binding":
      return { outcome: "visual-check", code: binding.code, reason: binding.reason, binding };
    case "cannot-check":
      return withoutId(rule, binding.code, binding.reason, binding);
  }
}
