/**
 * The next page of a cycle's frozen eligible set (`CycleMember`, fixed when the cycle was submitted
 * for approval) in beneficiary id order, read straight through the bulk connection: issuance gives
 * entitlements to exactly the people the approver approved, never to someone who became eligible
 * later (a newcomer needs a top-up cycle and a new approval). Someone whose enrolment ended since
 * (died, left the programme) is left out.
 */
import type { BulkSql } from "@haki/db/bulk";

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
 * Up to `limit` members of the cycle's frozen set after `after` (and up to `upto`), in id order.
 *
 * @example
 * const page = await selectEligiblePage(bulk, { cycleId, after: null, limit: 2000 });
 */
export function selectEligiblePage(
  bulk: BulkSql,
  args: {
    cycleId: string;
    after: string | null;
    upto?: string;
    limit: number;
    /** Only members without an entitlement in the cycle yet (the final sweep, handed-out ranges). */
    missingOnly?: boolean;
  },
): Promise<EligibleBeneficiary[]> {
  const p = bulk.params();
  const cycle = p.add(args.cycleId);
  const where = [`m."cycleId" = ${cycle}`, `b."enrolment" = ${p.add("active")}`];
  if (args.after) where.push(`m."beneficiaryId" > ${p.add(args.after)}`);
  if (args.upto) where.push(`m."beneficiaryId" <= ${p.add(args.upto)}`);
  if (args.missingOnly)
    where.push(`NOT EXISTS (SELECT 1 FROM "Entitlement" e WHERE e."cycleId" = m."cycleId" AND e."beneficiaryId" = m."beneficiaryId")`);
  return bulk.query<EligibleBeneficiary>(
    `SELECT b."id", b."ref", b."displayName", b."area", b."registryIdHash", b."identityFacts" FROM "CycleMember" m JOIN "Beneficiary" b ON b."id" = m."beneficiaryId" ` +
      `WHERE ${where.join(" AND ")} ORDER BY m."beneficiaryId" LIMIT ${p.add(args.limit)}`,
    p.values,
  );
}

/**
 * How many members of a cycle's frozen set issuance will give an entitlement to (enrolment still active).
 *
 * @example
 * const total = await countEligibleMembers(bulk, cycleId);
 */
export async function countEligibleMembers(bulk: BulkSql, cycleId: string): Promise<number> {
  const p = bulk.params();
  const [row] = await bulk.query<{ n: number | string | bigint }>(
    `SELECT count(*) AS "n" FROM "CycleMember" m JOIN "Beneficiary" b ON b."id" = m."beneficiaryId" WHERE m."cycleId" = ${p.add(cycleId)} AND b."enrolment" = ${p.add("active")}`,
    p.values,
  );
  return Number(row?.n ?? 0);
}
