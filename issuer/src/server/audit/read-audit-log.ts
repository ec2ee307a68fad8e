/**
 * The audit log as the console shows it: the chain check, then the events newest first, filtered
 * by who, what, about whom and when, a page at a time (keyset on the sequence number, each filter
 * on its own index). Subjects are shown as people read them: an entitlement as its beneficiary's
 * reference and cycle, a cycle as its programme and code, never a bare internal id.
 */
import { z } from "zod";
import { OptionalText } from "@/server/lib/filter-fields";
import type { AuditEvent } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { readJsonColumn } from "@/server/lib/json-column";
import { readThrough } from "@/server/lib/read-cache";
import { readUserNames } from "@/server/auth/read-user-names";
import { verifyAuditChain, type AuditChainResult } from "./verify-audit-chain";

/** The details of a bulk status change: every credential it touched, its scope and reason. */
const BulkDetails = z.object({
  bulk: z.literal(true),
  entitlements: z.array(z.unknown()),
  scope: z.string().optional(),
  reason: z.string().optional(),
});

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .or(z.literal("").transform(() => undefined));

export const AuditFilter = z.object({
  /** A console user's id. */
  actor: OptionalText(64),
  /** An action, e.g. "entitlement.revoke", or a family, e.g. "entitlement.". */
  action: OptionalText(64),
  /** A beneficiary reference (everything about that person) or a subject as stored. */
  subject: OptionalText(200),
  from: Day,
  to: Day,
  /** The sequence number below which the page starts (the next page's cursor). */
  before: z.coerce.number().int().positive().optional(),
});
export type AuditFilter = z.input<typeof AuditFilter>;

/** Events per page. */
export const AUDIT_PAGE = 50;

/** One event as the audit page shows it. */
export interface AuditRow {
  seq: number;
  at: Date;
  /** The actor's name when known, else their id (null: the system). */
  actor: string | null;
  action: string;
  subject: string | null;
  /** The subject as people read it (a beneficiary reference and a cycle, a programme and cycle code, ...). */
  subjectLabel: string | null;
  /** Where the subject's page is, when it has one. */
  subjectHref: string | null;
  /** The details as stored (canonical JSON; "{}" when none). */
  details: string;
  /** For a bulk status change (up to 20,000 ids): how many credentials, the scope and the reason. */
  bulk?: { credentials: number; scope?: string; reason?: string };
  hash: string;
}

const REF = /^HK-[0-9A-Z]{4,}$/i;

/** The Prisma filter of an audit filter (a reference stands for the person and everything of theirs). */
async function whereOf(ctx: ServerContext, f: z.output<typeof AuditFilter>) {
  let subjects: string[] | undefined;
  if (f.subject && REF.test(f.subject)) {
    const ref = f.subject.toUpperCase();
    const person = await ctx.db.beneficiary.findUnique({ where: { ref }, select: { id: true } });
    const [entitlements, grievances] = person
      ? await Promise.all([
          ctx.db.entitlement.findMany({ where: { beneficiaryId: person.id }, select: { id: true } }),
          ctx.db.grievance.findMany({ where: { beneficiaryId: person.id }, select: { id: true } }),
        ])
      : [[], []];
    subjects = [ref, ...entitlements.map((e) => e.id), ...grievances.map((g) => g.id)];
  } else if (f.subject) subjects = [f.subject];
  const at = {
    ...(f.from ? { gte: new Date(`${f.from}T00:00:00Z`) } : {}),
    ...(f.to ? { lt: new Date(new Date(`${f.to}T00:00:00Z`).getTime() + 86_400_000) } : {}),
  };
  return {
    ...(f.actor ? { actorId: f.actor } : {}),
    ...(f.action ? (f.action.endsWith(".") ? { action: { startsWith: f.action } } : { action: f.action }) : {}),
    ...(subjects ? { subject: { in: subjects } } : {}),
    ...(f.from || f.to ? { at } : {}),
    ...(f.before ? { seq: { lt: f.before } } : {}),
  };
}

/**
 * Readable labels and links for the subjects of some events (entitlements, cycles, grievances,
 * issuance jobs, console users, beneficiary references).
 *
 * @example
 * const labels = await labelSubjects(ctx, events); // Map { "0190…" => { label: "HK-7M2Q9XK4TB · cash 2027-03", href: "/beneficiaries/HK-7M2Q9XK4TB" } }
 */
export async function labelSubjects(ctx: ServerContext, events: Pick<AuditEvent, "subject">[]): Promise<Map<string, { label: string; href: string | null }>> {
  const ids = [...new Set(events.map((e) => e.subject).filter((s): s is string => Boolean(s)))];
  const out = new Map<string, { label: string; href: string | null }>();
  if (ids.length === 0) return out;
  const [entitlements, cycles, grievances, jobs, users, people] = await Promise.all([
    ctx.db.entitlement.findMany({ where: { id: { in: ids } }, select: { id: true, beneficiary: { select: { ref: true } }, cycle: { select: { code: true, programme: { select: { code: true } } } } } }),
    ctx.db.cycle.findMany({ where: { id: { in: ids } }, select: { id: true, code: true, programme: { select: { name: true } } } }),
    ctx.db.grievance.findMany({ where: { id: { in: ids } }, select: { id: true, category: true, beneficiary: { select: { ref: true } } } }),
    ctx.db.issuanceJob.findMany({ where: { id: { in: ids } }, select: { id: true, cycle: { select: { id: true, code: true, programme: { select: { name: true } } } } } }),
    ctx.db.user.findMany({ where: { id: { in: ids } }, select: { id: true, email: true } }),
    ctx.db.beneficiary.findMany({ where: { ref: { in: ids.filter((s) => REF.test(s)) } }, select: { ref: true } }),
  ]);
  for (const e of entitlements) out.set(e.id, { label: `${e.beneficiary.ref} · ${e.cycle.programme.code} ${e.cycle.code}`, href: `/beneficiaries/${e.beneficiary.ref}` });
  for (const c of cycles) out.set(c.id, { label: `${c.programme.name} · ${c.code}`, href: `/cycles/${c.id}` });
  for (const g of grievances) out.set(g.id, { label: `${g.beneficiary.ref} · ${g.category}`, href: `/beneficiaries/${g.beneficiary.ref}` });
  for (const j of jobs) out.set(j.id, { label: `${j.cycle.programme.name} · ${j.cycle.code}`, href: `/cycles/${j.cycle.id}` });
  for (const u of users) out.set(u.id, { label: u.email, href: null });
  for (const p of people) out.set(p.ref, { label: p.ref, href: `/beneficiaries/${p.ref}` });
  return out;
}

/** Events as the page shows them: names for actors, labels for subjects, bulk changes summed up. */
export async function toAuditRows(ctx: ServerContext, events: AuditEvent[]): Promise<AuditRow[]> {
  const [names, labels] = await Promise.all([readUserNames(ctx, events.map((e) => e.actorId)), labelSubjects(ctx, events)]);
  return events.map((e) => {
    const bulk = BulkDetails.safeParse(readJsonColumn(z.unknown(), e.details, "AuditEvent.details"));
    const label = e.subject ? labels.get(e.subject) : undefined;
    return {
      seq: e.seq,
      at: e.at,
      actor: e.actorId === null ? null : (names.get(e.actorId) ?? e.actorId),
      action: e.action,
      subject: e.subject,
      subjectLabel: label?.label ?? e.subject,
      subjectHref: label?.href ?? null,
      details: e.details,
      ...(bulk.success ? { bulk: { credentials: bulk.data.entitlements.length, scope: bulk.data.scope, reason: bulk.data.reason } } : {}),
      hash: e.hash,
    };
  });
}

/**
 * The chain check (cached for a minute: it reads the whole log) and a page of events, newest first.
 *
 * @example
 * const { check, events, next } = await readAuditLog(ctx, { action: "entitlement.", subject: "HK-7M2Q9XK4TB" });
 */
export async function readAuditLog(
  ctx: ServerContext,
  filter: AuditFilter = {},
  options: { take?: number } = {},
): Promise<{ check: AuditChainResult; events: AuditRow[]; next: number | null }> {
  const f = AuditFilter.parse(filter);
  const take = options.take ?? AUDIT_PAGE;
  const [check, events] = await Promise.all([
    readThrough(ctx, "audit-chain", () => verifyAuditChain(ctx.db, ctx.auditKey), { maxAgeMs: 60_000 }).then((c) => c.value),
    whereOf(ctx, f).then((where) => ctx.db.auditEvent.findMany({ where, orderBy: { seq: "desc" }, take: take + 1 })),
  ]);
  const page = events.slice(0, take);
  return { check, events: await toAuditRows(ctx, page), next: events.length > take ? (page[page.length - 1]?.seq ?? null) : null };
}

/**
 * Every event matching a filter, newest first, a page at a time (the audit export).
 *
 * @example
 * for await (const rows of auditPages(ctx, { action: "entitlement.revoke" })) write(rows);
 */
export async function* auditPages(ctx: ServerContext, filter: AuditFilter): AsyncGenerator<AuditRow[]> {
  const f = AuditFilter.parse(filter);
  for (let before = f.before; ; ) {
    const where = await whereOf(ctx, { ...f, before });
    const events = await ctx.db.auditEvent.findMany({ where, orderBy: { seq: "desc" }, take: 1000 });
    if (events.length === 0) return;
    yield toAuditRows(ctx, events);
    before = events[events.length - 1]!.seq;
  }
}

/** The distinct actions in the log, for the filter menu (cached: a scan of the action index). */
export async function readAuditActions(ctx: ServerContext): Promise<string[]> {
  const { value } = await readThrough(ctx, "audit-actions", async () => (await ctx.db.auditEvent.groupBy({ by: ["action"], orderBy: { action: "asc" } })).map((r) => r.action), {
    maxAgeMs: 300_000,
  });
  return value;
}
