/**
 * Records delivered credentials (offer and entitlement bound to the holder, one audit event each)
 * with group commit: while one transaction is writing, the deliveries finished meanwhile queue up
 * and go together in the next one. A lone delivery is written at once; under load a hundred wallets
 * cost a few transactions instead of a hundred. That matters because the audit chain serialises
 * every appender on one counter row (PostgreSQL) or the write lock (SQLite), and each commit is a
 * sync to disk. The transaction is five statements on the direct driver connection
 * (`recordDeliveries` of `@haki/db/bulk`), one synchronous call on SQLite: the write lock is never
 * held across an await, so the credential requests' own statements on that connection never wait
 * for it (an interactive transaction would hold it while the event loop serves everyone else).
 */
import { groupCommit, recordDeliveries, type BulkSql } from "@haki/db/bulk";
import { chainAuditRows, type AuditWriter } from "@/server/audit/append-audit-event";

export interface Delivery {
  /** The offer id, which is the entitlement id. */
  entitlementId: string;
  /** The holder key the credential is bound to (the first one of a batch). */
  holderDid: string;
  /** How many credentials the wallet took (a batch: one per holder key). Default 1. */
  count?: number;
  /** SHA-256 of the notification id the wallet got, when the issuer takes notifications. */
  notificationIdHash?: string;
  /** Which configuration was issued (the audit event names the format). */
  format?: "jwt_vc_json" | "dc+sd-jwt";
  /** The status positions the phone claim moved the entitlement from (now revoked) and to. */
  superseded?: { from: { list: number; index: number }; to: { list: number; index: number } };
}

/** Most deliveries one transaction writes (keeps a transaction and its statements short). */
export const MAX_DELIVERIES_PER_COMMIT = 100;

/**
 * Returns `record(delivery)`, which resolves once the delivery is committed (with the others of its
 * batch) and rejects if it could not be. One failing delivery does not fail its batch: the batch is
 * retried one by one and only the failing one rejects.
 *
 * @example
 * const record = createDeliveryRecorder(deliverySql(ctx), ctx);
 * await record({ entitlementId: e.id, holderDid });
 */
export function createDeliveryRecorder(bulk: BulkSql, audit: AuditWriter, options: { maxBatch?: number } = {}): (delivery: Delivery) => Promise<void> {
  const maxBatch = options.maxBatch ?? MAX_DELIVERIES_PER_COMMIT;
  async function write(batch: Delivery[]): Promise<void[]> {
    const at = audit.now();
    await recordDeliveries(bulk, {
      at,
      deliveries: batch.map((d) => ({ entitlementId: d.entitlementId, holderDid: d.holderDid, count: d.count ?? 1, notificationIdHash: d.notificationIdHash ?? null })),
      auditRows: (first, prevHash) =>
        chainAuditRows(
          audit.auditKey,
          first,
          prevHash,
          at,
          batch.map((d) => ({
            actorId: null,
            action: "credential.deliver",
            subject: d.entitlementId,
            details: { channel: "openid4vci", ...(d.format && d.format !== "jwt_vc_json" ? { format: d.format } : {}), ...(d.count && d.count > 1 ? { copies: d.count } : {}), ...(d.superseded ? { superseded: d.superseded } : {}) },
          })),
        ),
    });
    return batch.map(() => undefined);
  }

  return groupCommit(write, maxBatch);
}
