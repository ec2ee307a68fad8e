import type { Db } from "@haki/db";
import { AUDIT_ALG, GENESIS_HASH, auditEventMac, auditHashInput } from "./append-audit-event";
import { safeEqual, sha256Hex } from "@/server/lib/hash";

export type AuditChainResult =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenAt: number; reason: "gap" | "link" | "hash" | "unkeyed" };

/**
 * Recomputes the whole chain in pages with the audit key: every event must follow the previous
 * one (no gap), point at its hash, and carry the keyed hash of its content. Events written before
 * the chain was keyed (`alg` "sha256") may only form a prefix, and the log must end keyed: a log
 * rewritten and re-chained by someone without the key fails as "hash" (a forged keyed event) or
 * "unkeyed" (events passed off as from before the keying). The first keyed event's MAC covers the
 * last unkeyed hash, so the unkeyed prefix cannot be re-chained either.
 *
 * @example
 * const r = await verifyAuditChain(ctx.db, ctx.auditKey);
 * if (!r.ok) alert(`The audit log was altered at event ${r.brokenAt}`);
 */
export async function verifyAuditChain(db: Db, key: Buffer, pageSize = 2000): Promise<AuditChainResult> {
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let keyed = false;
  for (;;) {
    const page = await db.auditEvent.findMany({ where: { seq: { gte: expected } }, orderBy: { seq: "asc" }, take: pageSize });
    for (const e of page) {
      if (e.seq !== expected) return { ok: false, count: expected - 1, brokenAt: expected, reason: "gap" };
      if (e.prevHash !== prevHash) return { ok: false, count: expected - 1, brokenAt: e.seq, reason: "link" };
      if (e.alg === AUDIT_ALG) keyed = true;
      else if (keyed || e.alg !== "sha256") return { ok: false, count: expected - 1, brokenAt: e.seq, reason: "unkeyed" };
      const hash = keyed ? auditEventMac(key, prevHash, e) : sha256Hex(auditHashInput(prevHash, e));
      if (!safeEqual(hash, e.hash)) return { ok: false, count: expected - 1, brokenAt: e.seq, reason: "hash" };
      prevHash = e.hash;
      expected++;
    }
    if (page.length < pageSize) break;
  }
  const counter = await db.counter.findUnique({ where: { name: "audit" } });
  // The counter only grows: events missing from the end show as a gap too.
  if (counter && counter.value > expected - 1) return { ok: false, count: expected - 1, brokenAt: expected, reason: "gap" };
  // Since the chain is keyed, every issuer appends keyed events (the migrate step writes the first):
  // a log that ends unkeyed was rewritten.
  if (expected > 1 && !keyed) return { ok: false, count: expected - 1, brokenAt: expected - 1, reason: "unkeyed" };
  return { ok: true, count: expected - 1, lastHash: prevHash };
}
