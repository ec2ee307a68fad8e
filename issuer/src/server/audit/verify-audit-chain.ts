import type { Db } from "@haki/db";
import { GENESIS_HASH, auditHashInput } from "./append-audit-event";
import { sha256Hex } from "@/server/lib/hash";

export type AuditChainResult =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenAt: number; reason: "gap" | "link" | "hash" };

/**
 * Recomputes the whole chain in pages: every event must follow the previous one (no gap), point at
 * its hash, and hash to what it says.
 *
 * @example
 * const r = await verifyAuditChain(db);
 * if (!r.ok) alert(`The audit log was altered at event ${r.brokenAt}`);
 */
export async function verifyAuditChain(db: Db, pageSize = 2000): Promise<AuditChainResult> {
  let prevHash = GENESIS_HASH;
  let expected = 1;
  for (;;) {
    const page = await db.auditEvent.findMany({ where: { seq: { gte: expected } }, orderBy: { seq: "asc" }, take: pageSize });
    for (const e of page) {
      if (e.seq !== expected) return { ok: false, count: expected - 1, brokenAt: expected, reason: "gap" };
      if (e.prevHash !== prevHash) return { ok: false, count: expected - 1, brokenAt: e.seq, reason: "link" };
      if (sha256Hex(auditHashInput(prevHash, e)) !== e.hash) return { ok: false, count: expected - 1, brokenAt: e.seq, reason: "hash" };
      prevHash = e.hash;
      expected++;
    }
    if (page.length < pageSize) break;
  }
  const counter = await db.counter.findUnique({ where: { name: "audit" } });
  // The counter only grows: events missing from the end show as a gap too.
  if (counter && counter.value > expected - 1) return { ok: false, count: expected - 1, brokenAt: expected, reason: "gap" };
  return { ok: true, count: expected - 1, lastHash: prevHash };
}
