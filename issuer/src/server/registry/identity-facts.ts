/**
 * The national ID number and date of birth of a beneficiary, for programmes that bind paper cards
 * to national ID cards: kept only sealed (AES-256-GCM under the key-encryption key, the row's keyed
 * registry id hash as AAD, so a sealed value moved to another row does not open), opened only to
 * compute a card's binding at issuance, never shown, never in a credential.
 */
import type { IdentityFacts } from "@haki/id-binding/binding";
import type { RegistryRecord } from "@haki/registry/record";
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { openWithKek, sealWithKek } from "@/server/keys/local-key-store";
import { readStoredValue } from "@/server/lib/json-column";

const StoredFacts = z.strictObject({ id: z.string().min(1).max(64), birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional() });

const kekOf = (ctx: ServerContext) => Buffer.from(ctx.env.HAKI_KEY_ENCRYPTION_KEY, "base64");
const aad = (registryIdHash: string) => `identity:${registryIdHash}`;

/** The facts a record maps, or undefined when it maps no national ID number. */
export function identityFactsOf(r: RegistryRecord): { id: string; birthDate?: string } | undefined {
  return r.nationalId ? { id: r.nationalId, ...(r.birthDate ? { birthDate: r.birthDate } : {}) } : undefined;
}

/**
 * @example
 * const sealed = sealIdentityFacts(ctx, registryIdHash, { id: "29-4410-7765", birthDate: "1988-01-02" });
 */
export function sealIdentityFacts(ctx: ServerContext, registryIdHash: string, facts: { id: string; birthDate?: string }): string {
  return sealWithKek(kekOf(ctx), Buffer.from(JSON.stringify(StoredFacts.parse(facts))), aad(registryIdHash));
}

/**
 * Opens what `sealIdentityFacts` sealed (ERR_KEY_DECRYPT on a wrong key or a moved value).
 *
 * @example
 * const facts = openIdentityFacts(ctx, row.registryIdHash, row.identityFacts);
 */
export function openIdentityFacts(ctx: ServerContext, registryIdHash: string, sealed: string): IdentityFacts {
  return readStoredValue(StoredFacts, () => JSON.parse(openWithKek(kekOf(ctx), sealed, aad(registryIdHash)).toString("utf8")), "Beneficiary.identityFacts");
}
