/**
 * Records delivered credentials (offer and entitlement bound to the holder, one audit event each)
 * with group commit: while one transaction is writing, the deliveries finished meanwhile queue up
 * and go together in the next one. A lone delivery is written at once; under load a hundred wallets
 * cost a few transactions instead of a hundred. That matters twice: the audit chain serialises
 * every appender on one counter row (PostgreSQL) or the write lock (SQLite), and on SQLite Prisma
 * runs one interactive transaction at a time on its single connection, so per-delivery
 * transactions queue behind each other and each commit is a sync to disk.
 */
import { Prisma, type Db } from "@haki/db";
import { appendAuditEvents, type AuditWriter } from "@/server/audit/append-audit-event";

export interface Delivery {
  /** The offer id, which is the entitlement id. */
  entitlementId: string;
  holderDid: string;
}

/** Most deliveries one transaction writes (keeps a transaction and its statements short). */
export const MAX_DELIVERIES_PER_COMMIT = 100;

type Pending = { delivery: Delivery; resolve: () => void; reject: (error: unknown) => void };

/**
 * Returns `record(delivery)`, which resolves once the delivery is committed (with the others of its
 * batch) and rejects if it could not be. One failing delivery does not fail its batch: the batch is
 * retried one by one and only the failing one rejects.
 *
 * @example
 * const record = createDeliveryRecorder(ctx.db, ctx);
 * await record({ entitlementId: e.id, holderDid });
 */
export function createDeliveryRecorder(db: Db, audit: AuditWriter, options: { maxBatch?: number } = {}): (delivery: Delivery) => Promise<void> {
  const maxBatch = options.maxBatch ?? MAX_DELIVERIES_PER_COMMIT;
  const queue: Pending[] = [];
  let writing = false;

  async function write(batch: Delivery[]): Promise<void> {
    const at = audit.now();
    await db.$transaction(async (tx) => {
      // One statement per table for the whole batch, whatever its size: inside an interactive
      // transaction every statement is a round trip through the event loop, which under load
      // waits behind everything else the server does, so statements per delivery would stretch the
      // transaction (and the latency of everyone in it) with the batch. Raw SQL, same on both
      // providers. A missing row fails the batch, which is then retried one delivery at a time.
      const ids = Prisma.join(batch.map((d) => d.entitlementId));
      const holder = Prisma.join(
        batch.map((d) => Prisma.sql`WHEN ${d.entitlementId} THEN ${d.holderDid}`),
        " ",
      );
      const offers = await tx.$executeRaw`UPDATE "Offer" SET "holderDid" = CASE "id" ${holder} END, "credentialIssuedAt" = ${at} WHERE "id" IN (${ids})`;
      const entitlements = await tx.$executeRaw`UPDATE "Entitlement" SET "holderDid" = CASE "id" ${holder} END WHERE "id" IN (${ids})`;
      if (offers !== batch.length || entitlements !== batch.length) throw new Error("An offer or entitlement to record a delivery on is missing.");
      await appendAuditEvents(
        tx,
        audit,
        batch.map((d) => ({ actorId: null, action: "credential.deliver", subject: d.entitlementId, details: { channel: "openid4vci" } })),
        at,
      );
    });
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, maxBatch);
        try {
          await write(batch.map((p) => p.delivery));
          for (const p of batch) p.resolve();
        } catch (error) {
          if (batch.length === 1) {
            batch[0]!.reject(error);
            continue;
          }
          for (const p of batch) {
            try {
              await write([p.delivery]);
              p.resolve();
            } catch (alone) {
              p.reject(alone);
            }
          }
        }
      }
    } finally {
      writing = false;
    }
  }

  return (delivery) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ delivery, resolve, reject });
      // The first delivery waits one turn of the event loop, so requests finishing in the same turn
      // share its transaction.
      if (!writing) {
        writing = true;
        setImmediate(() => void drain());
      }
    });
}
