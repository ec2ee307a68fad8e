/**
 * "At most one bearer form per entitlement" at the moment a phone collects it (OpenID4VCI): under
 * the programme's `bearerForms: "one"` (the default) the entitlement moves to a fresh status
 * position before the phone's credentials are signed, and the old position is revoked, so the paper
 * card (and a phone that collected an earlier offer) is refused everywhere: at once by online
 * checks, by offline service points at their next list refresh. Every credential of one request
 * (a batch under several holder keys, either format) is signed at the one new position: together
 * they are one bearer form, the phone. Under "both" nothing moves: paper and phone stay valid.
 *
 * The moves are written with group commit on the direct driver connection (`deliverySql`), as the
 * deliveries are (record-deliveries.ts): the claims arriving while one transaction is writing go
 * together in the next, which allocates their positions with one counter update, moves each
 * entitlement with the same compare-and-set as `moveStatusPosition` (issued, still at its old
 * position) and revokes the old positions with one read-modify-write per status list. On SQLite it
 * is one synchronous call, so the write lock is never held across an await (an interactive Prisma
 * transaction per claim held it while the event loop served everyone else, and every other writer
 * of the hot path waited: a few dozen credentials a second under 100 wallets). A claim that
 * conflicts fails alone, with ERR_CONFLICT, as before.
 */
import { groupCommit, type BulkSql } from "@haki/db/bulk";
import { statusListFromBytes, updateStatuses } from "@haki/status-list/bitstring";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { STATUS_LIST_SIZE } from "@/server/issuance/entitlement-input";
import { forgetStatusListCredentials } from "@/server/status/status-lists";
import { deliverySql } from "./delivery-sql";
import type { StatusPosition } from "./status-position";
import { EntitlementUnavailableError } from "./sign-entitlement";

/** The programme's choice: one bearer form valid at a time (the default), or paper and phone both. */
export type BearerForms = "one" | "both";

/** Where a phone delivery moved the entitlement from and to (null: the programme keeps both forms). */
export type PhoneClaim = { from: StatusPosition; to: StatusPosition } | null;

type ChainItem = Parameters<BulkSql["chain"]>[0][number];
type StatementResult = Awaited<ReturnType<BulkSql["chain"]>>[number];

/** Most claims one transaction writes. */
const MAX_CLAIMS_PER_COMMIT = 100;

/**
 * Makes the phone the entitlement's one bearer form, unless its programme keeps both: a fresh
 * status position for the phone's credentials, the old one revoked, `bearerForm` "phone". Call once
 * per credential request, before signing; sign every credential of the request at `to`.
 *
 * @example
 * const claim = await claimPhoneForm(ctx, entitlementId);
 * const vc = await signers.jwt(entitlementId, holderDid, { position: claim?.to });
 */
export async function claimPhoneForm(ctx: ServerContext, entitlementId: string): Promise<PhoneClaim> {
  const sql = deliverySql(ctx);
  const e = await readClaimable(sql, entitlementId);
  if (!e) throw new EntitlementUnavailableError("This entitlement no longer exists.");
  if (e.status !== "issued") throw new EntitlementUnavailableError(`This entitlement is ${e.status}.`);
  if ((e.bearerForms as BearerForms) === "both") return null;
  const from = { list: e.statusList, index: e.statusIndex };
  const to = await claimerOf(ctx)({ entitlementId: e.id, from });
  return { from, to };
}

type Claimable = { id: string; status: string; statusList: number; statusIndex: number; bearerForms: string };

async function readClaimable(sql: BulkSql, id: string): Promise<Claimable | undefined> {
  const p = sql.params();
  const [row] = await sql.query<Omit<Claimable, "statusList" | "statusIndex"> & { statusList: number | bigint; statusIndex: number | bigint }>(
    `SELECT e."id", e."status", e."statusList", e."statusIndex", p."bearerForms" FROM "Entitlement" e ` +
      `JOIN "Cycle" c ON c."id" = e."cycleId" JOIN "Programme" p ON p."id" = c."programmeId" WHERE e."id" = ${p.add(id)}`,
    p.values,
  );
  return row ? { ...row, statusList: Number(row.statusList), statusIndex: Number(row.statusIndex) } : undefined;
}

type Claim = { entitlementId: string; from: StatusPosition };

// Per context, process-wide for this module's copy (the group commit queue).
const claimers = new WeakMap<ServerContext, (claim: Claim) => Promise<StatusPosition>>();

function claimerOf(ctx: ServerContext): (claim: Claim) => Promise<StatusPosition> {
  let claimer = claimers.get(ctx);
  if (!claimer) claimers.set(ctx, (claimer = createClaimer(ctx)));
  return claimer;
}

function createClaimer(ctx: ServerContext): (claim: Claim) => Promise<StatusPosition> {
  return groupCommit(async (batch: Claim[]): Promise<StatusPosition[]> => {
    const positions = await deliverySql(ctx).chain(moveStatements(deliverySql(ctx), batch, ctx.now())).then(positionsOf(batch.length));
    forgetStatusListCredentials(ctx);
    return positions;
  }, MAX_CLAIMS_PER_COMMIT);
}

/** The new positions of a batch, from the counter's value after the batch's increment (first result). */
const positionsOf = (n: number) => (results: StatementResult[]): StatusPosition[] => {
  const end = Number(results[0]!.rows[0]!.value);
  return Array.from({ length: n }, (_, i) => {
    const position = end - n + i;
    return { list: Math.floor(position / STATUS_LIST_SIZE) + 1, index: position % STATUS_LIST_SIZE };
  });
};

/**
 * One transaction for a batch: n positions from the counter, each entitlement moved only if it is
 * still issued at its old position (else the whole batch rolls back with ERR_CONFLICT), then each
 * status list holding an old position gets those bits set, its version bumped.
 */
function moveStatements(sql: BulkSql, batch: Claim[], now: Date): ChainItem[] {
  const items: ChainItem[] = [];
  const counter = sql.params();
  items.push({ sql: `UPDATE "Counter" SET "value" = "value" + ${counter.int(batch.length)} WHERE "name" = 'status-index' RETURNING "value"`, params: counter.values });
  batch.forEach((claim, i) =>
    items.push((results) => {
      if (results[0]!.rows.length !== 1) throw new Error("The status-index counter is missing.");
      const to = positionsOf(batch.length)(results)[i]!;
      const p = sql.params();
      return {
        sql:
          `UPDATE "Entitlement" SET "statusList" = ${p.int(to.list)}, "statusIndex" = ${p.int(to.index)}, "bearerForm" = 'phone' ` +
          `WHERE "id" = ${p.add(claim.entitlementId)} AND "status" = 'issued' AND "statusList" = ${p.int(claim.from.list)} AND "statusIndex" = ${p.int(claim.from.index)}`,
        params: p.values,
      };
    }),
  );
  const moved = items.length;
  const byList = new Map<number, number[]>();
  for (const c of batch) byList.set(c.from.list, [...(byList.get(c.from.list) ?? []), c.from.index]);
  for (const [list, indexes] of byList) {
    const id = `${list}-revocation`;
    // Placeholders in the order of the text (SQLite's `?` are positional).
    const ensure = sql.params();
    const head = `VALUES (${ensure.add(id)}, ${ensure.int(list)}, 'revocation', ${ensure.int(STATUS_LIST_SIZE)}, `;
    const bytes = ensure.int(STATUS_LIST_SIZE / 8);
    const zeros = sql.provider === "postgresql" ? `decode(repeat('00', ${bytes}), 'hex')` : `zeroblob(${bytes})`;
    const ensureSql = `INSERT INTO "StatusList" ("id", "list", "purpose", "size", "bits", "updatedAt") ${head}${zeros}, ${ensure.date(now)}) ON CONFLICT ("id") DO NOTHING`;
    items.push((results) => {
      const conflict = results.slice(1, moved).findIndex((r) => r.changes !== 1);
      if (conflict >= 0) throw new ApiError("ERR_CONFLICT", "The entitlement changed meanwhile; reload and try again.", { details: { entitlementId: batch[conflict]!.entitlementId } });
      return { sql: ensureSql, params: ensure.values };
    });
    // Bumping the version first locks the row (PostgreSQL); on SQLite the transaction holds the write lock.
    const bump = sql.params();
    items.push({ sql: `UPDATE "StatusList" SET "version" = "version" + 1, "updatedAt" = ${bump.date(now)} WHERE "id" = ${bump.add(id)} RETURNING "bits"`, params: bump.values });
    items.push((results) => {
      const bits = results[results.length - 1]!.rows[0]!.bits as Uint8Array;
      const next = updateStatuses(statusListFromBytes(new Uint8Array(bits)), { set: indexes });
      const p = sql.params();
      return { sql: `UPDATE "StatusList" SET "bits" = ${p.add(Buffer.from(next.bytes))} WHERE "id" = ${p.add(id)}`, params: p.values };
    });
  }
  return items;
}
