/**
 * What a bound card and a binding key are, as data: the zod schemas only (no hashing), so code
 * that stores or validates them (credential models, a verifier's storage, setup codes) does not
 * load scrypt. The computation and the check are in ./binding.
 */
import * as z from "zod";

const B64URL = (bytes: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`), `${bytes} bytes, base64url`);

/** Which facts a binding covers: the ID number alone, or with the date of birth (when the ID QR carries it). */
export const BindingFields = z.enum(["id", "id+birthDate"]);
export type BindingFields = z.infer<typeof BindingFields>;

/** What an entitlement credential carries (`credentialSubject.idBinding`). About 110 characters of JSON. */
export const IdBinding = z.strictObject({
  v: z.literal(1),
  /** The programme binding key that made it. */
  kid: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
  fields: BindingFields,
  /** scrypt cost: N = 2^logN, r, p. */
  logN: z.number().int().min(10).max(20),
  r: z.number().int().min(1).max(16),
  p: z.number().int().min(1).max(4),
  salt: B64URL(16),
  mac: B64URL(16),
});
export type IdBinding = z.infer<typeof IdBinding>;

/**
 * A programme's binding key: 32 random bytes held by the issuer and by the programme's enrolled
 * service point devices, never printed, never in the public trust bundle.
 */
export const BindingKey = z.strictObject({
  kid: z.string().regex(/^[A-Za-z0-9._-]{1,40}$/),
  secret: B64URL(32),
});
export type BindingKey = z.infer<typeof BindingKey>;

/** What the binding is computed from: registry data at issuance, the verified ID QR at the counter. */
export interface IdentityFacts {
  /** The national ID number (Claim 169 key 1). */
  id?: string;
  /** ISO date `YYYY-MM-DD` (Claim 169's `birthDate`; registries' `birth_date`). */
  birthDate?: string;
}
