/**
 * Signing a million credentials of one cycle: everything but the beneficiary, the credential id and
 * the status position is the same in every credential, so the full input is validated once (the
 * first row, through `buildEntitlementPayload`) and each further row only checks the fields it
 * changes, with the same zod schemas. The bytes signed are exactly `signCredential`'s (a test
 * compares them): the payload goes through the canonical serializer as before. Validating the
 * whole input per credential (URLs, DIDs, dates) cost about as much as the signature itself.
 */
import { buildEntitlementPayload } from "@haki/credentials/canonical";
import { EntitlementSubject, type EntitlementJwtPayload } from "@haki/credentials/model";
import type { SigningKey } from "@haki/credentials/keys";
import { signCredential, signEntitlementPayload } from "@haki/credentials/sign";
import type { Cycle, Programme } from "@haki/db";
import { credentialId, entitlementInput, statusListUrl } from "./entitlement-input";

type Row = Parameters<typeof entitlementInput>[0]["entitlement"] & {
  beneficiary: Parameters<typeof entitlementInput>[0]["beneficiary"];
};

const { beneficiary: refSchema, name: nameSchema, area: areaSchema } = EntitlementSubject.shape;

/**
 * A signer for one cycle's entitlements: same JWTs as `signCredential(entitlementInput(...))`.
 *
 * @example
 * const sign = makeCycleSigner({ cycle, programme: cycle.programme }, key, { did, publicUrl });
 * const jwt = await sign(row);
 */
export function makeCycleSigner(
  rows: { cycle: Cycle; programme: Programme },
  key: SigningKey,
  issuer: { did: string; publicUrl: string },
): (row: Row) => Promise<string> {
  let template: EntitlementJwtPayload | null = null;
  const fixedArea = !!rows.programme.area;
  const full = (row: Row) =>
    entitlementInput({ ...rows, entitlement: row, beneficiary: row.beneficiary }, issuer);
  return async (row) => {
    if (!template) {
      // The first row goes the whole way: full validation, and the errors signCredential throws.
      // The template is set before any await, so the rest of a page signed at once uses it.
      const jwt = signCredential(full(row), key);
      try {
        template = buildEntitlementPayload(full(row));
      } catch {
        // jwt rejects with ERR_INPUT_INVALID
      }
      return jwt;
    }
    const b = row.beneficiary;
    const ref = refSchema.safeParse(b.ref);
    const name = b.displayName ? nameSchema.safeParse(b.displayName) : null;
    const area = !fixedArea && b.area ? areaSchema.safeParse(b.area) : null;
    if (!ref.success || name?.success === false || area?.success === false)
      return signCredential(full(row), key); // throws ERR_INPUT_INVALID with the zod error
    const t: EntitlementJwtPayload = template;
    const revocation = statusListUrl(issuer.publicUrl, row.statusList, "revocation");
    const suspension = statusListUrl(issuer.publicUrl, row.statusList, "suspension");
    const index = String(row.statusIndex);
    const [rev, sus] = t.vc.credentialStatus as [
      EntitlementJwtPayload["vc"]["credentialStatus"][number],
      EntitlementJwtPayload["vc"]["credentialStatus"][number],
    ];
    return signEntitlementPayload(
      {
        ...t,
        jti: credentialId(row.id),
        vc: {
          ...t.vc,
          credentialSubject: {
            ...t.vc.credentialSubject,
            beneficiary: ref.data,
            name: name?.data,
            area: fixedArea ? t.vc.credentialSubject.area : area?.data,
          },
          credentialStatus: [
            { ...rev, id: `${revocation}#${index}`, statusListIndex: index, statusListCredential: revocation },
            { ...sus, id: `${suspension}#${index}`, statusListIndex: index, statusListCredential: suspension },
          ],
        },
      },
      key,
    );
  };
}
