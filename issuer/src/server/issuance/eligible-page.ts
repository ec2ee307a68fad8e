/**
 * The next page of eligible beneficiaries in id order, read straight through the bulk connection:
 * the first pass of a job reads every eligible person once, a million rows for a large cycle.
 */
import type { BulkSql } from "@haki/db/bulk";
import { ruleToSql, type EligibilityRule } from "@/server/programmes/eligibility-rule";

/** What a credential carries of a beneficiary, read with the page. */
export interface EligibleBeneficiary {
  id: string;
  ref: string;
  displayName: string | null;
  area: string | null;
  registryIdHash: string;
  /** Sealed national ID number and date of birth, for programmes that bind paper cards to them. */
  identityFacts: string | null;
}

/**
 * Up to `limit` eligible beneficiaries after `after` (and up to `upto`), in id order.
 *
 * @example
 * const page = await selectEligiblePage(bulk, { rule, programmeArea: "KE-047", after: null, limit: 2000 });
 */
export function selectEligiblePage(
  bulk: BulkSql,
  args: {
    rule: EligibilityRule;
    programmeArea: string | null;
    after: string | null;
    upto?: string;
    limit: number;
    /** Only beneficiaries without an entitlement in this cycle (the final sweep, handed-out ranges). */
    missingIn?: string;
  },
): Promise<EligibleBeneficiary[]> {
  const p = bulk.params();
  const where = [ruleToSql(args.rule, args.programmeArea, p.add)];
  if (args.after) where.push(`b."id" > ${p.add(args.after)}`);
  if (args.upto) where.push(`b."id" <= ${p.add(args.upto)}`);
  if (args.missingIn)
    where.push(
      `NOT EXISTS (SELECT 1 FROM "Entitlement" e WHERE e."cycleId" = ${p.add(args.missingIn)} AND e."beneficiaryId" = b."id")`,
    );
  return bulk.query<EligibleBeneficiary>(
    `SELECT b."id", b."ref", b."displayName", b."area", b."registryIdHash", b."identityFacts" FROM "Beneficiary" b ` +
      `WHERE ${where.join(" AND ")} ORDER BY b."id" LIMIT ${p.add(args.limit)}`,
    p.values,
  );
}
