/**
 * The audit chain's key and the one-time step that keys an existing log.
 */
import { hkdfSync } from "node:crypto";
import type { Env } from "@/env";
import { AUDIT_ALG, appendAuditEvent, type AuditWriter } from "./append-audit-event";
import type { Db } from "@haki/db";

/**
 * The key of the audit chain's HMAC: HAKI_AUDIT_KEY, else one derived from the key-encryption key
 * (HKDF-SHA-256), so an issuer upgraded without the new setting still keys its log. Either way the
 * key lives outside the database.
 *
 * @example
 * const key = auditKeyOf(getEnv());
 */
export function auditKeyOf(env: Env): Buffer {
  if (env.HAKI_AUDIT_KEY) return Buffer.from(env.HAKI_AUDIT_KEY, "base64");
  return Buffer.from(hkdfSync("sha256", Buffer.from(env.HAKI_KEY_ENCRYPTION_KEY, "base64"), Buffer.alloc(0), "haki/audit-chain/v1", 32));
}

/**
 * Keys a log written before the chain was keyed: when its last event is unkeyed, appends an
 * `audit.chain_keyed` event whose MAC covers the last unkeyed hash (and so the whole prefix).
 * Idempotent; the migrate step runs it.
 *
 * @example
 * await keyAuditChain(ctx.db, ctx); // { keyed: true, after: 4812 }
 */
export async function keyAuditChain(db: Db, writer: AuditWriter): Promise<{ keyed: boolean; after?: number }> {
  return db.$transaction(async (tx) => {
    const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, alg: true } });
    if (!last || last.alg === AUDIT_ALG) return { keyed: false };
    await appendAuditEvent(tx, writer, { actorId: null, action: "audit.chain_keyed", details: { after: last.seq } });
    return { keyed: true, after: last.seq };
  });
}
