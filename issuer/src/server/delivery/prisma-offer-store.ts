/**
 * The OpenID4VCI OfferStore on the issuer's database. The offer id is the entitlement id (one live
 * offer per entitlement; a new offer replaces the old one). Every "use once" step is a conditional
 * UPDATE whose row count says who won, so two wallets racing with one code get one credential.
 * Given a direct driver connection (`bulk`), the two statements every credential request runs
 * (look the access token up, spend it) go through it, prepared once, instead of Prisma.
 */
import type { Db } from "@haki/db";
import { findOfferByAccessToken, spendAccessToken, type BulkSql } from "@haki/db/bulk";
import { constantTimeEqual, type OfferStore, type StoredOffer } from "@haki/openid4vci/store";

type OfferRow = { id: string; credentialConfigurationId: string; codeHash: string; txCodeHash: string | null; expiresAt: Date };
const toStored = (r: OfferRow): StoredOffer => ({
  id: r.id,
  credentialConfigurationId: r.credentialConfigurationId,
  codeHash: r.codeHash,
  txCodeHash: r.txCodeHash,
  // A raw query answers a Date on both providers today; the guard keeps a driver change visible.
  expiresAt: r.expiresAt instanceof Date ? r.expiresAt : new Date(r.expiresAt),
});

/**
 * @example
 * const store = createPrismaOfferStore(db, { bulk: deliverySql(ctx) });
 * await registerOffer({ config, store, id: entitlement.id, expiresAt });
 */
export function createPrismaOfferStore(db: Db, options: { bulk?: BulkSql } = {}): OfferStore {
  const { bulk } = options;
  return {
    async createOffer({ offer }) {
      await db.offer.create({
        data: {
          id: offer.id,
          entitlementId: offer.id,
          credentialConfigurationId: offer.credentialConfigurationId,
          codeHash: offer.codeHash,
          txCodeHash: offer.txCodeHash,
          expiresAt: offer.expiresAt,
        },
      });
    },

    async redeemPreAuthorizedCode({ codeHash, txCodeHash, now, maxTxCodeAttempts }) {
      const row = await db.offer.findUnique({ where: { codeHash } });
      if (!row) return { ok: false, reason: "unknown" };
      if (row.redeemedAt) return { ok: false, reason: "already_used" };
      if (row.txCodeAttempts >= maxTxCodeAttempts) return { ok: false, reason: "tx_code_locked" };
      if (row.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
      if (row.txCodeHash !== null) {
        if (txCodeHash === null) return { ok: false, reason: "tx_code_required" };
        if (!constantTimeEqual(row.txCodeHash, txCodeHash)) {
          const counted = await db.offer.update({ where: { id: row.id }, data: { txCodeAttempts: { increment: 1 } } });
          const attemptsLeft = maxTxCodeAttempts - counted.txCodeAttempts;
          return attemptsLeft > 0 ? { ok: false, reason: "tx_code_wrong", attemptsLeft } : { ok: false, reason: "tx_code_locked" };
        }
      }
      const { count } = await db.offer.updateMany({
        where: { id: row.id, redeemedAt: null, txCodeAttempts: { lt: maxTxCodeAttempts } },
        data: { redeemedAt: now },
      });
      if (count !== 1) {
        const again = await db.offer.findUniqueOrThrow({ where: { id: row.id } });
        return again.redeemedAt ? { ok: false, reason: "already_used" } : { ok: false, reason: "tx_code_locked" };
      }
      return { ok: true, offer: toStored(row) };
    },

    async saveAccessToken({ token }) {
      await db.offer.update({
        where: { id: token.offerId },
        data: { accessTokenHash: token.tokenHash, accessTokenExpiresAt: token.expiresAt, accessTokenUsedAt: null },
      });
    },

    // The three calls of every credential request are single raw statements: Prisma's model API
    // costs about 0.3 ms of CPU per call (query compiler, and a BEGIN/COMMIT around updateMany),
    // three times a raw statement; the same SQL runs on SQLite and PostgreSQL.
    async findAccessToken({ tokenHash, now }) {
      if (bulk) return (await findOfferByAccessToken(bulk, { tokenHash, now })) ?? null;
      const [row] = await db.$queryRaw<OfferRow[]>`
        SELECT "id", "credentialConfigurationId", "codeHash", "txCodeHash", "expiresAt" FROM "Offer"
        WHERE "accessTokenHash" = ${tokenHash} AND "accessTokenUsedAt" IS NULL AND "accessTokenExpiresAt" > ${now}`;
      return row ? toStored(row) : null;
    },

    async consumeAccessToken({ tokenHash, now }) {
      if (bulk) return (await spendAccessToken(bulk, { tokenHash, now })) ?? null;
      // One statement (UPDATE ... RETURNING): the winner gets the row, a racing second caller none.
      const [row] = await db.$queryRaw<OfferRow[]>`
        UPDATE "Offer" SET "accessTokenUsedAt" = ${now}
        WHERE "accessTokenHash" = ${tokenHash} AND "accessTokenUsedAt" IS NULL AND "accessTokenExpiresAt" > ${now}
        RETURNING "id", "credentialConfigurationId", "codeHash", "txCodeHash", "expiresAt"`;
      return row ? toStored(row) : null;
    },

    async saveNonce({ nonceHash, expiresAt }) {
      await db.nonce.create({ data: { hash: nonceHash, expiresAt } });
    },

    async consumeNonce({ nonceHash, now }) {
      const count = await db.$executeRaw`
        UPDATE "Nonce" SET "usedAt" = ${now} WHERE "hash" = ${nonceHash} AND "usedAt" IS NULL AND "expiresAt" > ${now}`;
      return count === 1;
    },
  };
}
