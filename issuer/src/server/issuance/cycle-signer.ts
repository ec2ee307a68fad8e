/**
 * Signing a million credentials of one cycle: everything but the beneficiary, the credential id and
 * the status position is the same in every credential, so the full input is validated once (the
 * first row, through `buildEntitlementPayload`) and each further row only checks the fields it
 * changes, with the same zod schemas. The bytes signed are exactly `signCredential`'s (a test
 * compares them): the payload text comes from the credentials package's compiled canonical
 * serializer (`compileEntitlementSigner`), which joins the cycle's fixed text with the few fields
 * that change. Validating the
 * whole input per credential (URLs, DIDs, dates) cost about as much as the signature itself.
 */
import { buildEntitlementCredentialV2, buildEntitlementPayload, type EntitlementPayloadFields } from "@haki/credentials/canonical";
import { EntitlementSubject, HolderDid, type JwtCredentialFormat } from "@haki/credentials/model";
import type { SigningKey } from "@haki/credentials/keys";
import { compileEntitlementSigner, signCredential } from "@haki/credentials/sign";
import type { Cycle, Programme } from "@haki/db";
import { credentialId, cycleCredentialFormat, entitlementInput, statusListUrl } from "./entitlement-input";

type Row = Parameters<typeof entitlementInput>[0]["entitlement"] & {
  beneficiary: Parameters<typeof entitlementInput>[0]["beneficiary"];
  /** The holder DID to bind the credential to (OpenID4VCI); none for a paper card. */
  holder?: string;
};

const { beneficiary: refSchema, name: nameSchema, area: areaSchema } = EntitlementSubject.shape;

/**
 * A signer for one cycle's entitlements, in the cycle's credential format (VC 2.0 `vc+jwt` or VC
 * 1.1): same JWTs as `signCredential(entitlementInput(...), key, { format })`.
 *
 * `options.format` overrides the cycle's (the VC-API answers VC 2.0 for any cycle).
 *
 * @example
 * const sign = makeCycleSigner({ cycle, programme: cycle.programme }, key, { did, publicUrl });
 * const jwt = await sign(row); // await sign({ ...row, holder: walletDid })
 */
export function makeCycleSigner(
  rows: { cycle: Cycle; programme: Programme },
  key: SigningKey,
  issuer: { did: string; publicUrl: string },
  options: { format?: JwtCredentialFormat } = {},
): (row: Row) => Promise<string> {
  const format = options.format ?? cycleCredentialFormat(rows.cycle);
  let template: ((fields: EntitlementPayloadFields) => Promise<string>) | null = null;
  let fixedAreaValue: string | undefined;
  const fixedArea = !!rows.programme.area;
  const lists = new Map<number, { revocationList: string; suspensionList: string }>();
  const listsOf = (list: number) => {
    let l = lists.get(list);
    if (!l) {
      l = {
        revocationList: statusListUrl(issuer.publicUrl, list, "revocation"),
        suspensionList: statusListUrl(issuer.publicUrl, list, "suspension"),
      };
      lists.set(list, l);
    }
    return l;
  };
  const full = (row: Row) =>
    entitlementInput({ ...rows, entitlement: row, beneficiary: row.beneficiary }, { ...issuer, ...(row.holder ? { holder: row.holder } : {}) });
  return async (row) => {
    if (!template) {
      // The first row goes the whole way: full validation, and the errors signCredential throws.
      // The template is set before any await, so the rest of a page signed at once uses it.
      const jwt = signCredential(full(row), key, { format });
      try {
        // The template is made without a holder: each credential brings its own (or none).
        const unbound = { ...row, holder: undefined };
        if (format === "vc2") {
          const base = buildEntitlementCredentialV2(full(unbound));
          fixedAreaValue = base.credentialSubject.area;
          template = compileEntitlementSigner(base, key);
        } else {
          const base = buildEntitlementPayload(full(unbound));
          fixedAreaValue = base.vc.credentialSubject.area;
          template = compileEntitlementSigner(base, key);
        }
      } catch {
        // jwt rejects with ERR_INPUT_INVALID
      }
      return jwt;
    }
    const b = row.beneficiary;
    const ref = refSchema.safeParse(b.ref);
    const name = b.displayName ? nameSchema.safeParse(b.displayName) : null;
    const area = !fixedArea && b.area ? areaSchema.safeParse(b.area) : null;
    const holder = row.holder !== undefined ? HolderDid.safeParse(row.holder) : null;
    if (!ref.success || name?.success === false || area?.success === false || holder?.success === false)
      return signCredential(full(row), key, { format }); // throws ERR_INPUT_INVALID with the zod error
    return template({
      id: credentialId(row.id),
      beneficiary: ref.data,
      name: name?.data,
      area: fixedArea ? fixedAreaValue : area?.data,
      ...listsOf(row.statusList),
      index: row.statusIndex,
      ...(holder ? { holder: holder.data } : {}),
    });
  };
}
