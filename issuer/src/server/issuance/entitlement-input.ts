/**
 * From database rows to the credential input: one place decides what a credential says.
 */
import type { IdBinding } from "@haki/id-binding/binding";
import type { Beneficiary, Cycle, Entitlement, Programme } from "@haki/db";
import { z } from "zod";
import { JWT_CREDENTIAL_FORMATS, type Benefit, type EntitlementInput, type JwtCredentialFormat } from "@haki/credentials/model";
import { readStoredValue } from "@/server/lib/json-column";

/** Entries per status list: the Bitstring Status List minimum (131,072), for herd privacy. */
export const STATUS_LIST_SIZE = 131_072;

/** Where a list is published: `<public url>/status/<list>/<purpose>`. */
export function statusListUrl(
  publicUrl: string,
  list: number,
  purpose: "revocation" | "suspension",
): string {
  return `${publicUrl.replace(/\/+$/, "")}/status/${list}/${purpose}`;
}

/**
 * Where the IETF Token Status List of a pair of lists is published (SD-JWT VCs point at it):
 * `<public url>/status/<list>/token`, signed from the same bits as the two Bitstring lists.
 */
export function statusTokenUrl(publicUrl: string, list: number): string {
  return `${publicUrl.replace(/\/+$/, "")}/status/${list}/token`;
}

/**
 * The format a cycle's JWT credentials are signed in (`Cycle.credentialFormat`): `vc2` for cycles
 * made since VC 2.0 became the default, `vc1` for those from before.
 *
 * @example
 * await signCredential(entitlementInput(rows, issuer), key, { format: cycleCredentialFormat(cycle) });
 */
export function cycleCredentialFormat(cycle: Pick<Cycle, "credentialFormat">): JwtCredentialFormat {
  return readStoredValue(CredentialFormatColumn, () => cycle.credentialFormat, "Cycle.credentialFormat");
}
const CredentialFormatColumn = z.enum(JWT_CREDENTIAL_FORMATS);

/** The credential id of an entitlement (a URN, so it reveals nothing about the person). */
export function credentialId(entitlementId: string): string {
  return `urn:uuid:${entitlementId}`;
}

/**
 * What a cycle gives each beneficiary, as the credential says it.
 *
 * @example
 * benefitOf(programme, cycle); // { type: "Cash", amount: 3000, currency: "KES" }
 */
export function benefitOf(p: Programme, c: Cycle): Benefit {
  switch (p.benefitType) {
    case "cash":
      return { type: "Cash", amount: Number(c.amount), currency: p.currency ?? "" };
    case "inkind":
      return {
        type: "InKind",
        item: p.item ?? "",
        quantity: Number(c.quantity),
        unit: p.unit ?? "",
      };
    default:
      return {
        type: "Voucher",
        description: p.description ?? p.name,
        ...(c.amount ? { amount: Number(c.amount) } : {}),
        ...(c.amount && p.currency ? { currency: p.currency } : {}),
      };
  }
}

/**
 * The input for signing one entitlement's credential.
 *
 * @example
 * const input = entitlementInput({ entitlement, cycle, programme, beneficiary }, { did, publicUrl });
 */
export function entitlementInput(
  rows: {
    entitlement: Pick<Entitlement, "id" | "statusList" | "statusIndex">;
    cycle: Cycle;
    programme: Programme;
    beneficiary: Pick<Beneficiary, "ref" | "displayName" | "area">;
    /** The card's binding to the holder's national ID, for a programme that binds its cards. */
    idBinding?: IdBinding;
  },
  issuer: { did: string; publicUrl: string; holder?: string },
): EntitlementInput {
  const { entitlement: e, cycle, programme, beneficiary, idBinding } = rows;
  return {
    issuer: issuer.did,
    ...(issuer.holder ? { holder: issuer.holder } : {}),
    id: credentialId(e.id),
    subject: {
      beneficiary: beneficiary.ref,
      ...(beneficiary.displayName ? { name: beneficiary.displayName } : {}),
      programme: { id: programme.code, name: programme.name },
      cycle: cycle.code,
      benefit: benefitOf(programme, cycle),
      redemption: programme.redemption === "partial" ? "partial" : "single",
      ...(programme.area
        ? { area: programme.area }
        : beneficiary.area
          ? { area: beneficiary.area }
          : {}),
      ...(idBinding ? { idBinding } : {}),
    },
    validFrom: cycle.validFrom,
    validUntil: cycle.validUntil,
    status: {
      revocationList: statusListUrl(issuer.publicUrl, e.statusList, "revocation"),
      suspensionList: statusListUrl(issuer.publicUrl, e.statusList, "suspension"),
      index: e.statusIndex,
    },
  };
}
