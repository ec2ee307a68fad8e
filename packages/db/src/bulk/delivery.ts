/**
 * The statements of an OpenID4VCI credential request, written once for both databases: the access
 * token looked up and spent, the c_nonce spent, the entitlement read with its beneficiary. Each runs
 * once per credential a wallet receives; through Prisma each cost its query interpreter, its driver
 * adapter and a fresh prepared statement, about three times the statement itself (a third of a
 * loaded issuer's CPU). Prepared once here, per connection.
 */
import type { BulkSql, SqlDialect } from "./types";

/** An offer as a credential request needs it. */
export interface OfferRow {
  id: string;
  credentialConfigurationId: string;
  codeHash: string;
  txCodeHash: string | null;
  expiresAt: Date;
}

type RawOffer = Omit<OfferRow, "expiresAt"> & { expiresAt: Date | string };

// A DateTime column read back as an instant: SQLite keeps ISO text; PostgreSQL's timestamp(3) has
// no zone (Prisma writes UTC), so it is read as UTC whatever the server's or process's zone.
const instant = (d: SqlDialect, column: string) => (d.provider === "postgresql" ? `(${column} AT TIME ZONE 'UTC')` : column);
const toOffer = (r: RawOffer): OfferRow => ({ ...r, expiresAt: r.expiresAt instanceof Date ? r.expiresAt : new Date(r.expiresAt) });

const OFFER_COLUMNS = (d: SqlDialect) => `"id", "credentialConfigurationId", "codeHash", "txCodeHash", ${instant(d, `"expiresAt"`)} AS "expiresAt"`;

/**
 * The offer of a live access token (unknown, expired or spent: undefined), without spending it.
 *
 * @example
 * const offer = await findOfferByAccessToken(bulk, { tokenHash, now });
 */
export async function findOfferByAccessToken(db: BulkSql, args: { tokenHash: string; now: Date }): Promise<OfferRow | undefined> {
  const p = db.params();
  const [row] = await db.query<RawOffer>(
    `SELECT ${OFFER_COLUMNS(db)} FROM "Offer" WHERE "accessTokenHash" = ${p.add(args.tokenHash)} AND "accessTokenUsedAt" IS NULL AND "accessTokenExpiresAt" > ${p.date(args.now)}`,
    p.values,
  );
  return row ? toOffer(row) : undefined;
}

/**
 * Spends an access token in one statement (UPDATE ... RETURNING): the winner of two racing
 * requests gets the offer, the other undefined.
 *
 * @example
 * const offer = await spendAccessToken(bulk, { tokenHash, now });
 */
export async function spendAccessToken(db: BulkSql, args: { tokenHash: string; now: Date }): Promise<OfferRow | undefined> {
  const p = db.params();
  const used = p.date(args.now);
  const hash = p.add(args.tokenHash);
  const live = p.date(args.now);
  // A one-statement transaction (`chain`), so a connection with group commit writes it with others.
  const [spent] = await db.chain([
    { sql: `UPDATE "Offer" SET "accessTokenUsedAt" = ${used} WHERE "accessTokenHash" = ${hash} AND "accessTokenUsedAt" IS NULL AND "accessTokenExpiresAt" > ${live} RETURNING ${OFFER_COLUMNS(db)}`, params: p.values },
  ]);
  const row = spent!.rows[0] as RawOffer | undefined;
  return row ? toOffer(row) : undefined;
}

/**
 * Records a spent c_nonce (its digest) until it expires: true the first time, false for a nonce
 * recorded before (a replay).
 *
 * @example
 * if (!(await recordUsedNonce(bulk, { nonceHash, expiresAt, now }))) refuse();
 */
export async function recordUsedNonce(db: BulkSql, args: { nonceHash: string; expiresAt: Date; now: Date }): Promise<boolean> {
  const p = db.params();
  const [inserted] = await db.chain([
    { sql: `INSERT INTO "Nonce" ("hash", "expiresAt", "usedAt") VALUES (${p.add(args.nonceHash)}, ${p.date(args.expiresAt)}, ${p.date(args.now)}) ON CONFLICT ("hash") DO NOTHING RETURNING "hash"`, params: p.values },
  ]);
  return inserted!.rows.length === 1;
}

/**
 * Deletes the spent nonces whose expiry has passed (they can no longer be replayed). Returns how many.
 *
 * @example
 * await pruneUsedNonces(bulk, { now });
 */
export async function pruneUsedNonces(db: BulkSql, args: { now: Date }): Promise<number> {
  const p = db.params();
  const [changed] = await db.batch([{ sql: `DELETE FROM "Nonce" WHERE "expiresAt" < ${p.date(args.now)}`, params: p.values }]);
  return changed ?? 0;
}

/** What a credential says about its entitlement and beneficiary. */
export interface CredentialEntitlementRow {
  id: string;
  cycleId: string;
  status: string;
  statusList: number;
  statusIndex: number;
  ref: string;
  displayName: string | null;
  area: string | null;
}

/**
 * One entitlement and its beneficiary, in one joined statement.
 *
 * @example
 * const e = await selectEntitlementForCredential(bulk, entitlementId);
 */
export async function selectEntitlementForCredential(db: BulkSql, id: string): Promise<CredentialEntitlementRow | undefined> {
  const p = db.params();
  const [row] = await db.query<Omit<CredentialEntitlementRow, "statusList" | "statusIndex"> & { statusList: number | bigint; statusIndex: number | bigint }>(
    `SELECT e."id", e."cycleId", e."status", e."statusList", e."statusIndex", b."ref", b."displayName", b."area" ` +
      `FROM "Entitlement" e JOIN "Beneficiary" b ON b."id" = e."beneficiaryId" WHERE e."id" = ${p.add(id)}`,
    p.values,
  );
  return row ? { ...row, statusList: Number(row.statusList), statusIndex: Number(row.statusIndex) } : undefined;
}

/** A credential request's delivery, as the group commit records it on the offer and entitlement. */
export interface DeliveryRow {
  entitlementId: string;
  holderDid: string;
  /** Credentials the wallet took (a batch: one per holder key). */
  count: number;
  notificationIdHash: string | null;
}

/** An audit event row, its hash already chained (the issuer computes the keyed MAC). */
export interface AuditRow {
  seq: number;
  at: Date;
  actorId: string | null;
  action: string;
  subject: string | null;
  details: string;
  prevHash: string;
  hash: string;
  /** How `hash` was computed ("hmac-sha256": keyed under the issuer's audit key). */
  alg: string;
}

/**
 * Records finished deliveries in one transaction with five statements whatever their number: the
 * offers and the entitlements bound to their holders, and one audit event each, appended to the
 * hash chain (the "audit" counter moved on, the previous hash read, the rows built by
 * `auditRows(first, prevHash)`, inserted at once). Throws (nothing written) when an offer or
 * entitlement is missing.
 *
 * @example
 * await recordDeliveries(bulk, { deliveries, at, auditRows: (first, prev) => chain(first, prev, at, events) });
 */
export async function recordDeliveries(
  db: BulkSql,
  args: { deliveries: DeliveryRow[]; at: Date; auditRows: (first: number, prevHash: string | undefined) => AuditRow[] },
): Promise<void> {
  const n = args.deliveries.length;
  if (n === 0) return;
  const caseOf = (p: ReturnType<SqlDialect["params"]>, value: (d: DeliveryRow) => string) =>
    `CASE "id" ${args.deliveries.map((d) => `WHEN ${p.add(d.entitlementId)} THEN ${value(d)}`).join(" ")} END`;
  const idsOf = (p: ReturnType<SqlDialect["params"]>) => args.deliveries.map((d) => p.add(d.entitlementId)).join(", ");

  const offers = db.params();
  const offerSql =
    `UPDATE "Offer" SET "holderDid" = ${caseOf(offers, (d) => `CAST(${offers.add(d.holderDid)} AS TEXT)`)}, ` +
    `"credentialIssuedAt" = ${offers.date(args.at)}, ` +
    `"credentialCount" = ${caseOf(offers, (d) => offers.int(d.count))}, ` +
    `"notificationIdHash" = ${caseOf(offers, (d) => `CAST(${offers.add(d.notificationIdHash)} AS TEXT)`)}, ` +
    `"walletEvent" = NULL, "walletEventAt" = NULL WHERE "id" IN (${idsOf(offers)})`;
  const ents = db.params();
  const entitlementSql = `UPDATE "Entitlement" SET "holderDid" = ${caseOf(ents, (d) => `CAST(${ents.add(d.holderDid)} AS TEXT)`)} WHERE "id" IN (${idsOf(ents)})`;

  let first = 0;
  await db.chain([
    { sql: offerSql, params: offers.values },
    { sql: entitlementSql, params: ents.values },
    (r) => {
      if (r[0]!.changes !== n || r[1]!.changes !== n) throw new Error("An offer or entitlement to record a delivery on is missing.");
      return { sql: `UPDATE "Counter" SET "value" = "value" + ${Math.trunc(n)} WHERE "name" = 'audit' RETURNING "value"`, params: [] };
    },
    (r) => {
      first = Number(r[2]!.rows[0]!.value) - n + 1;
      const p = db.params();
      return { sql: `SELECT "hash" FROM "AuditEvent" WHERE "seq" = ${p.int(first - 1)}`, params: p.values };
    },
    (r) => {
      const rows = args.auditRows(first, r[3]!.rows[0]?.hash as string | undefined);
      const p = db.params();
      const values = rows.map(
        (e) => `(${p.int(e.seq)}, ${p.date(e.at)}, ${p.add(e.actorId)}, ${p.add(e.action)}, ${p.add(e.subject)}, ${p.add(e.details)}, ${p.add(e.prevHash)}, ${p.add(e.hash)}, ${p.add(e.alg)})`,
      );
      return { sql: `INSERT INTO "AuditEvent" ("seq", "at", "actorId", "action", "subject", "details", "prevHash", "hash", "alg") VALUES ${values.join(", ")}`, params: p.values };
    },
  ]);
}
