/**
 * The statements of a registry import, one page of up to a few thousand rows at a time: which
 * rows the source already holds, an upsert that writes only new or changed beneficiaries, the
 * rows' errors, and the run's progress. Through Prisma, compiling these statements cost more than
 * every other step of an import together.
 */
import { normalizeSearchText } from "../search/index";
import type { BulkSql, SqlDialect, Statement } from "./types";

/**
 * The row hash stored for each of the given registry id hashes that a source already holds.
 *
 * @example
 * const known = await selectKnownRows(bulk, { sourceId, hashes: ["9f2c..."] }); // Map hash -> rowHash
 */
export async function selectKnownRows(
  db: BulkSql,
  args: { sourceId: string; hashes: string[] },
): Promise<Map<string, string>> {
  if (args.hashes.length === 0) return new Map();
  const p = db.params();
  const source = p.add(args.sourceId);
  const rows = await db.query<{ registryIdHash: string; rowHash: string }>(
    `SELECT "registryIdHash", "rowHash" FROM "Beneficiary" WHERE "sourceId" = ${source} ` +
      `AND "registryIdHash" IN (${args.hashes.map((h) => p.add(h)).join(", ")})`,
    p.values,
  );
  return new Map(rows.map((r) => [r.registryIdHash, r.rowHash]));
}

/** One beneficiary as an import writes it (the least data the programme needs). */
export interface BeneficiaryRow {
  id: string;
  ref: string;
  registryIdHash: string;
  rowHash: string;
  displayName: string | null;
  area: string | null;
  householdSize: number | null;
  povertyScore: number | null;
  enrolment: string;
  /** Canonical JSON of the mapped extra fields. */
  attributes: string;
  /** The sealed national ID number and date of birth (the issuer seals them), or null. */
  identityFacts?: string | null;
}

const COLUMNS = [
  "id", "ref", "sourceId", "registryIdHash", "rowHash", "displayName", "searchName", "area", "householdSize",
  "povertyScore", "enrolment", "attributes", "identityFacts", "createdAt", "updatedAt",
] as const;
// On a re-import, only a changed row is written (and its updatedAt moves; id and ref stay).
const UPDATED = ["displayName", "searchName", "area", "householdSize", "povertyScore", "enrolment", "attributes", "identityFacts", "rowHash", "updatedAt"];

/**
 * The upsert of a page of beneficiaries keyed by (source, registry id hash): a new row goes in, a
 * changed one (another row hash) is updated in place, an unchanged one is left alone.
 *
 * @example
 * await bulk.batch([upsertBeneficiariesStatement(bulk, { sourceId, rows, at: new Date() })]);
 */
export function upsertBeneficiariesStatement(
  sql: SqlDialect,
  args: { sourceId: string; rows: BeneficiaryRow[]; at: Date },
): Statement {
  const p = sql.params();
  const values = args.rows
    .map((r) => {
      // The folded name for search (the database's triggers index its words).
      const searchName = r.displayName ? normalizeSearchText(r.displayName) || null : null;
      const cells = [r.id, r.ref, args.sourceId, r.registryIdHash, r.rowHash, r.displayName, searchName, r.area, r.householdSize, r.povertyScore, r.enrolment, r.attributes, r.identityFacts ?? null];
      return `(${cells.map((v) => p.add(v)).join(", ")}, ${p.date(args.at)}, ${p.date(args.at)})`;
    })
    .join(", ");
  return {
    sql:
      `INSERT INTO "Beneficiary" (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES ${values} ` +
      `ON CONFLICT ("sourceId", "registryIdHash") DO UPDATE SET ${UPDATED.map((c) => `"${c}" = excluded."${c}"`).join(", ")} ` +
      `WHERE "Beneficiary"."rowHash" <> excluded."rowHash"`,
    params: p.values,
  };
}

/**
 * The insert of a page of row errors of an import run (messages cut at 500 characters).
 *
 * @example
 * await bulk.batch([insertRowErrorsStatement(bulk, { runId, errors })]);
 */
export function insertRowErrorsStatement(
  sql: SqlDialect,
  args: { runId: string; errors: { line: number; column?: string; code: string; message: string }[] },
): Statement {
  const p = sql.params();
  const values = args.errors
    .map((e) => `(${[args.runId, e.line, e.column ?? null, e.code, e.message.slice(0, 500)].map((v) => p.add(v)).join(", ")})`)
    .join(", ");
  return { sql: `INSERT INTO "ImportRowError" ("runId", "row", "column", "code", "message") VALUES ${values}`, params: p.values };
}

/** An import run's counts. */
export interface ImportCounts {
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * Sets an import run's counts and bytes read (the progress bar reads them).
 *
 * @example
 * await bulk.batch([importProgressStatement(bulk, { runId, counts, bytesRead: 1_048_576 })]);
 */
export function importProgressStatement(
  sql: SqlDialect,
  args: { runId: string; counts: ImportCounts; bytesRead: number },
): Statement {
  const p = sql.params();
  const set = (["rowsRead", "created", "updated", "unchanged", "rejected"] as const).map((k) => `"${k}" = ${p.add(args.counts[k])}`);
  set.push(`"bytesRead" = ${p.add(args.bytesRead)}`);
  return { sql: `UPDATE "ImportRun" SET ${set.join(", ")} WHERE "id" = ${p.add(args.runId)}`, params: p.values };
}
