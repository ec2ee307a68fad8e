/**
 * The OpenID4VP relay's `RelayStore` on the issuer's database (table `Openid4vpRelay`). Rows hold
 * the public request object and the wallet's answer as it came: ciphertext, or a bare OAuth error
 * code. "Answer once" is a conditional UPDATE and "hand over once" a DELETE whose row count says
 * who won, so two racing calls never both succeed.
 */
import type { Db } from "@haki/db";
import { RELAY_ERROR_CODES, type RelayAnswer, type RelayErrorCode, type RelayRecord, type RelayStore } from "@haki/openid4vp/relay";

type RelayRow = {
  requestId: string;
  transactionHash: string;
  openedBy: string | null;
  requestObject: string | null;
  encryptionKid: string | null;
  expiresAt: Date;
  answerKind: string | null;
  answer: string | null;
  answerState: string | null;
};

function answerOf(row: RelayRow): RelayAnswer | undefined {
  if (row.answerKind === "jwe" && row.answer) return { kind: "jwe", jwe: row.answer };
  if (row.answerKind === "error" && (RELAY_ERROR_CODES as readonly string[]).includes(row.answer ?? "")) {
    return { kind: "error", error: row.answer as RelayErrorCode, ...(row.answerState ? { state: row.answerState } : {}) };
  }
  return undefined;
}

function toRecord(row: RelayRow): RelayRecord {
  const answer = answerOf(row);
  return {
    requestId: row.requestId,
    transactionHash: row.transactionHash,
    expiresAt: row.expiresAt.getTime(),
    ...(row.openedBy ? { openedBy: row.openedBy } : {}),
    ...(row.requestObject ? { requestObject: row.requestObject } : {}),
    ...(row.encryptionKid ? { encryptionKid: row.encryptionKid } : {}),
    ...(answer ? { answer } : {}),
  };
}

/**
 * @example
 * const relay = createRelay(createPrismaRelayStore(db), { baseUrl: `${origin}/api/openid4vp` });
 */
export function createPrismaRelayStore(db: Db): RelayStore {
  return {
    async create(record) {
      await db.openid4vpRelay.create({
        data: {
          requestId: record.requestId,
          transactionHash: record.transactionHash,
          openedBy: record.openedBy ?? null,
          expiresAt: new Date(record.expiresAt),
        },
      });
    },

    async get(requestId) {
      const row = await db.openid4vpRelay.findUnique({ where: { requestId } });
      return row ? toRecord(row) : undefined;
    },

    async setRequestObject(requestId, requestObject, encryptionKid) {
      await db.openid4vpRelay.updateMany({ where: { requestId }, data: { requestObject, encryptionKid: encryptionKid ?? null } });
    },

    async saveAnswer(requestId, answer) {
      const data =
        answer.kind === "jwe"
          ? { answerKind: "jwe", answer: answer.jwe, answerState: null }
          : { answerKind: "error", answer: answer.error, answerState: answer.state ?? null };
      const { count } = await db.openid4vpRelay.updateMany({ where: { requestId, answerKind: null }, data });
      return count === 1;
    },

    async take(requestId) {
      const row = await db.openid4vpRelay.findUnique({ where: { requestId } });
      if (!row) return undefined;
      const { count } = await db.openid4vpRelay.deleteMany({ where: { requestId } });
      return count === 1 ? toRecord(row) : undefined;
    },

    async deleteExpired(now) {
      const { count } = await db.openid4vpRelay.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
      return count;
    },
  };
}
