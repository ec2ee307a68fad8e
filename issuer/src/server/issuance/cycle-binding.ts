/**
 * For a programme that binds paper cards to national IDs: what signing a cycle needs to give each
 * card its binding (`credentialSubject.idBinding`, `@haki/id-binding`): the programme's binding key
 * and the beneficiary's sealed identity facts, opened only here. A beneficiary whose registry row
 * maps no national ID number gets an unbound card (the counter then checks the name by eye).
 */
import { computeIdBinding, type BindingKey, type IdBinding } from "@haki/id-binding/binding";
import { statusEntryOf, type CardRef } from "@haki/id-binding/salt";
import type { EntitlementInput } from "@haki/credentials/model";
import type { Programme } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { openProgrammeBindingKey } from "@/server/programmes/save-programme-id-binding";
import { openIdentityFacts } from "@/server/registry/identity-facts";

/** The beneficiary columns a binding is computed from. */
export interface BindingSource {
  registryIdHash?: string;
  identityFacts?: string | null;
}

export interface CycleBinding {
  key: BindingKey;
  /**
   * The binding of one beneficiary's card, or undefined when the registry gave no national ID
   * number. Its salt is derived from the card's id and status entry (`cardRefOf`), which the card
   * carries, so its QR code does not.
   */
  bindingOf(b: BindingSource, card: CardRef): Promise<IdBinding | undefined>;
}

/**
 * What a card's binding salt is derived from: its credential id and revocation status entry.
 *
 * @example
 * const idBinding = await binding.bindingOf(e.beneficiary, cardRefOf(entitlementInput(rows, issuer)));
 */
export function cardRefOf(input: Pick<EntitlementInput, "id" | "status">): CardRef {
  if (!input.id) throw new Error("A bound card needs a credential id.");
  return { id: input.id, statusEntry: statusEntryOf(input.status.revocationList, input.status.index) };
}

/**
 * The cycle's binding, or undefined for a programme that does not bind its cards.
 *
 * @example
 * const binding = cycleBindingOf(ctx, cycle.programme);
 * const idBinding = await binding?.bindingOf(row.beneficiary, cardRefOf(input));
 */
export function cycleBindingOf(ctx: ServerContext, programme: Pick<Programme, "id" | "idBinding" | "bindingKey">): CycleBinding | undefined {
  if (programme.idBinding === "off" || !programme.bindingKey) return undefined;
  const key = openProgrammeBindingKey(ctx, programme.id, programme.bindingKey);
  return {
    key,
    async bindingOf(b, card) {
      if (!b.identityFacts || !b.registryIdHash) return undefined;
      const facts = openIdentityFacts(ctx, b.registryIdHash, b.identityFacts);
      return computeIdBinding(facts, key, { fields: facts.birthDate ? "id+birthDate" : "id", card });
    },
  };
}

/** `{ binding }` for a bound programme, else `{}`: spread into a job's signing settings. */
export function optionalBinding(ctx: ServerContext, programme: Pick<Programme, "id" | "idBinding" | "bindingKey">): { binding?: CycleBinding } {
  const binding = cycleBindingOf(ctx, programme);
  return binding ? { binding } : {};
}
