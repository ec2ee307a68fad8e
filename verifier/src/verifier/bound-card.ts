/**
 * A paper card bound to its holder's national ID, at the counter: after the card checked green,
 * the person's ID card QR is scanned (or not shown) and `@haki/id-binding/counter` decides: hand
 * over only when the ID card verifies and the binding matches; a card shown without a usable ID
 * follows the programme's rule (refuse, or a visual check); an ID card of someone else is refused.
 * Offline; never throws.
 */
import type { BindingKey } from "@haki/id-binding/model";
import { decideBoundCard, type CounterOutcome } from "@haki/id-binding/counter";
import type { GreenDecision } from "@haki/redemption/check";
import type { IdentityCheck } from "./identity";

/** The answer: what to do, the code of the check that decided it, and the ID card as checked. */
export interface BoundCardAnswer {
  outcome: CounterOutcome;
  /** BINDING_MATCH, BINDING_MISMATCH, ID_NOT_SHOWN, BINDING_ID_INCOMPLETE, ERR_BINDING_*, or the ID card's own ERR_CLAIM169_* code. */
  code: string;
  /** Which check failed, for the words: the ID card itself, or the link between card and ID card. */
  failed?: "id" | "binding";
  id?: IdentityCheck;
}

/**
 * @example
 * const answer = await decideBoundCardAtCounter(decision, await checkIdentityText(text, bundle, now), enrolment.bindingKeys ?? []);
 * if (answer.outcome === "accept") handOver();
 */
export async function decideBoundCardAtCounter(decision: GreenDecision, id: IdentityCheck | undefined, keys: readonly BindingKey[]): Promise<BoundCardAnswer> {
  const rule = decision.idBinding?.rule ?? "refuse";
  const d = await decideBoundCard({
    card: { valid: true, idBinding: decision.idBinding?.binding },
    ...(id ? { id: id.valid ? { valid: true, identity: id.facts } : { valid: false, code: id.code, reason: id.reason } } : {}),
    rule,
    keys,
  });
  const failed = d.outcome === "accept" || d.code === "ID_NOT_SHOWN" ? undefined : id && !id.valid ? "id" : "binding";
  return { outcome: d.outcome, code: d.code, ...(failed ? { failed } : {}), ...(id ? { id } : {}) };
}
