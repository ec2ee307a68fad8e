import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { readJsonColumn } from "@/server/lib/json-column";
import { verifyAuditChain, type AuditChainResult } from "./verify-audit-chain";

/** The details of a bulk status change: every credential it touched, its scope and reason. */
const BulkDetails = z.object({
  bulk: z.literal(true),
  entitlements: z.array(z.unknown()),
  scope: z.string().optional(),
  reason: z.string().optional(),
});

/** One event as the audit page shows it. */
export interface AuditRow {
  seq: number;
  at: Date;
  /** The actor's name when known, else their id (null: the system). */
  actor: string | null;
  action: string;
  subject: string | null;
  /** The details as stored (canonical JSON; "{}" when none). */
  details: string;
  /** For a bulk status change (up to 20,000 ids): how many credentials, the scope and the reason. */
  bulk?: { credentials: number; scope?: string; reason?: string };
  hash: string;
}

/**
 * The chain check and the latest events, newest first.
 *
 * @example
 * const { check, events } = await readAuditLog(ctx); // check.ok, events[0].action
 */
export async function readAuditLog(
  ctx: ServerContext,
  options: { take?: number } = {},
): Promise<{ check: AuditChainResult; events: AuditRow[] }> {
  const [check, events] = await Promise.all([verifyAuditChain(ctx.db, ctx.auditKey), ctx.db.auditEvent.findMany({ orderBy: { seq: "desc" }, take: options.take ?? 200 })]);
  const users = await ctx.db.user.findMany({ where: { id: { in: events.map((e) => e.actorId ?? "") } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return {
    check,
    events: events.map((e) => {
      const bulk = BulkDetails.safeParse(readJsonColumn(z.unknown(), e.details, "AuditEvent.details"));
      return {
        seq: e.seq,
        at: e.at,
        actor: e.actorId === null ? null : (names.get(e.actorId) ?? e.actorId),
        action: e.action,
        subject: e.subject,
        details: e.details,
        ...(bulk.success ? { bulk: { credentials: bulk.data.entitlements.length, scope: bulk.data.scope, reason: bulk.data.reason } } : {}),
        hash: e.hash,
      };
    }),
  };
}
