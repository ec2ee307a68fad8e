/**
 * The append-only, hash-chained audit log. Each event's hash covers the previous event's hash and
 * the event itself, so changing or removing any event breaks every hash after it; the database
 * also refuses UPDATE and DELETE on the table (migration 0002).
 */
import type { Tx } from "@haki/db";
import { canonicalJson, sha256Hex } from "@/server/lib/hash";

export const GENESIS_HASH = "0".repeat(64);

export interface AuditEventInput {
  actorId: string | null;
  /** Dotted verb, e.g. "cycle.approve", "entitlement.revoke". */
  action: string;
  subject?: string | null;
  /** No personal data beyond pseudonymous references. */
  details?: Record<string, unknown>;
}

/** The text an event's hash covers. */
export function auditHashInput(prevHash: string, e: { seq: number; at: Date; actorId: string | null; action: string; subject: string | null; details: string }): string {
  return `${prevHash}\n${canonicalJson({ seq: e.seq, at: e.at.toISOString(), actorId: e.actorId, action: e.action, subject: e.subject, details: e.details })}`;
}

/**
 * Appends an event inside the caller's transaction, so the event and the action it records commit
 * together. Incrementing the "audit" counter first takes a row lock (PostgreSQL) or the write lock
 * (SQLite), which serialises appenders across processes before the last hash is read.
 *
 * @example
 * await db.$transaction(async (tx) => {
 *   await tx.cycle.update({ ... });
 *   await appendAuditEvent(tx, now, { actorId: actor.id, action: "cycle.approve", subject: cycle.id });
 * });
 */
export async function appendAuditEvent(tx: Tx, at: Date, event: AuditEventInput): Promise<{ seq: number; hash: string }> {
  const counter = await tx.counter.update({ where: { name: "audit" }, data: { value: { increment: 1 } } });
  const seq = counter.value;
  const prev = seq === 1 ? null : await tx.auditEvent.findUnique({ where: { seq: seq - 1 }, select: { hash: true } });
  const prevHash = prev?.hash ?? GENESIS_HASH;
  const row = {
    seq,
    at,
    actorId: event.actorId,
    action: event.action,
    subject: event.subject ?? null,
    details: canonicalJson(event.details ?? {}),
  };
  const hash = sha256Hex(auditHashInput(prevHash, row));
  await tx.auditEvent.create({ data: { ...row, prevHash, hash } });
  return { seq, hash };
}

/**
 * Appends several events inside the caller's transaction with three statements whatever their
 * number (counter, previous hash, one multi-row insert) instead of three each: the chain is the
 * same as appending them one by one. For hot paths that record many actions in one transaction
 * (credential deliveries committed together).
 *
 * @example
 * await db.$transaction((tx) => appendAuditEvents(tx, now, deliveries.map((d) => ({ actorId: null, action: "credential.deliver", subject: d.id }))));
 */
export async function appendAuditEvents(tx: Tx, at: Date, events: AuditEventInput[]): Promise<{ seq: number; hash: string }[]> {
  if (events.length === 0) return [];
  const counter = await tx.counter.update({ where: { name: "audit" }, data: { value: { increment: events.length } } });
  const first = counter.value - events.length + 1;
  const prev = first === 1 ? null : await tx.auditEvent.findUnique({ where: { seq: first - 1 }, select: { hash: true } });
  let prevHash = prev?.hash ?? GENESIS_HASH;
  const rows = events.map((event, i) => {
    const row = { seq: first + i, at, actorId: event.actorId, action: event.action, subject: event.subject ?? null, details: canonicalJson(event.details ?? {}) };
    const hash = sha256Hex(auditHashInput(prevHash, row));
    const full = { ...row, prevHash, hash };
    prevHash = hash;
    return full;
  });
  await tx.auditEvent.createMany({ data: rows });
  return rows.map(({ seq, hash }) => ({ seq, hash }));
}
