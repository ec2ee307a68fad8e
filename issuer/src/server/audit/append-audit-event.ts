/**
 * The append-only, keyed audit chain. Each event's hash is an HMAC-SHA-256, under a key kept outside
 * the database (HAKI_AUDIT_KEY), of the previous event's hash and the event itself: changing or
 * removing any event breaks every hash after it, and someone who can write to the database but
 * does not hold the key cannot compute a new chain over an edited log. The database also refuses
 * UPDATE and DELETE on the table (migration 0002).
 */
import type { Tx } from "@haki/db";
import { canonicalJson, hmacHex } from "@/server/lib/hash";

export const GENESIS_HASH = "0".repeat(64);

/** How new events are chained; events written before the chain was keyed say "sha256". */
export const AUDIT_ALG = "hmac-sha256";

/** What appending needs besides the transaction: the chain's key and a clock. A ServerContext is one. */
export interface AuditWriter {
  auditKey: Buffer;
  now(): Date;
}

/**
 * The keyed hash of an event (HMAC-SHA-256 over `auditHashInput`).
 *
 * @example
 * const hash = auditEventMac(ctx.auditKey, prevHash, row);
 */
export function auditEventMac(key: Buffer, prevHash: string, e: Parameters<typeof auditHashInput>[1]): string {
  return hmacHex(key, auditHashInput(prevHash, e));
}

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
 * `at` defaults to the writer's clock.
 *
 * @example
 * await db.$transaction(async (tx) => {
 *   await tx.cycle.update({ ... });
 *   await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "cycle.approve", subject: cycle.id });
 * });
 */
export async function appendAuditEvent(tx: Tx, writer: AuditWriter, event: AuditEventInput, at: Date = writer.now()): Promise<{ seq: number; hash: string }> {
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
  const hash = auditEventMac(writer.auditKey, prevHash, row);
  await tx.auditEvent.create({ data: { ...row, prevHash, hash, alg: AUDIT_ALG } });
  return { seq, hash };
}

/**
 * Appends several events inside the caller's transaction with three statements whatever their
 * number (counter, previous hash, one multi-row insert) instead of three each: the chain is the
 * same as appending them one by one. For hot paths that record many actions in one transaction
 * (credential deliveries committed together).
 *
 * @example
 * await db.$transaction((tx) => appendAuditEvents(tx, ctx, deliveries.map((d) => ({ actorId: null, action: "credential.deliver", subject: d.id }))));
 */
export async function appendAuditEvents(tx: Tx, writer: AuditWriter, events: AuditEventInput[], at: Date = writer.now()): Promise<{ seq: number; hash: string }[]> {
  if (events.length === 0) return [];
  const counter = await tx.counter.update({ where: { name: "audit" }, data: { value: { increment: events.length } } });
  const first = counter.value - events.length + 1;
  const prev = first === 1 ? null : await tx.auditEvent.findUnique({ where: { seq: first - 1 }, select: { hash: true } });
  const rows = chainAuditRows(writer.auditKey, first, prev?.hash, at, events);
  await tx.auditEvent.createMany({ data: rows });
  return rows.map(({ seq, hash }) => ({ seq, hash }));
}

/**
 * The rows of events appended after `prevHash` from sequence number `first`, each hash the keyed
 * MAC chained to the one before (what `appendAuditEvents` inserts; the direct driver's group
 * commit uses it too).
 *
 * @example
 * const rows = chainAuditRows(ctx.auditKey, seq + 1, lastHash, now, [{ actorId: null, action: "credential.deliver", subject: id }]);
 */
export function chainAuditRows(auditKey: Buffer, first: number, prevHash: string | undefined, at: Date, events: AuditEventInput[]) {
  let prev = prevHash ?? GENESIS_HASH;
  return events.map((event, i) => {
    const row = { seq: first + i, at, actorId: event.actorId, action: event.action, subject: event.subject ?? null, details: canonicalJson(event.details ?? {}) };
    const hash = auditEventMac(auditKey, prev, row);
    const full = { ...row, prevHash: prev, hash, alg: AUDIT_ALG };
    prev = hash;
    return full;
  });
}
