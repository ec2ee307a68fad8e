/**
 * The console's bulk status screen: resolve what an officer named (pasted references and/or a
 * cycle and area) into credentials, show what would change, then change exactly that. The change
 * itself goes through bulkChangeStatus (one transaction per batch, one audit event per batch).
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { ApiError } from "@/server/api/errors";
import { sha256Hex } from "@/server/lib/hash";
import { BULK_STATUS_MAX, bulkChangeStatus } from "./bulk-change-status";
import { STATUS_REASON_CODES, STATUS_REASONS, statusReasonText, type StatusAction } from "./status-reasons";

/** Ids per statement (SQLite's driver refuses more than 999 bound parameters). */
const CHUNK = 900;
/** A console batch may be larger than one API request; it is applied BULK_STATUS_MAX credentials at a time. */
export const BULK_SCOPE_MAX_REFS = BULK_STATUS_MAX;

const Ref = z.string().regex(/^[A-Za-z0-9_-]{4,40}$/);

export const BulkStatusScope = z
  .object({
    refs: z.array(Ref).max(BULK_SCOPE_MAX_REFS).default([]),
    cycleId: z.string().uuid().optional(),
    area: z.string().trim().min(1).max(100).optional(),
    /** The cycle page's filters, to act on exactly the list an officer filtered there. */
    status: z.enum(["issued", "suspended", "revoked"]).optional(),
    delivered: z.enum(["yes", "no"]).optional(),
    redeemed: z.enum(["yes", "no"]).optional(),
  })
  .refine((s) => s.refs.length > 0 || Boolean(s.cycleId), { message: "name beneficiary references or a cycle" });
export type BulkStatusScope = z.input<typeof BulkStatusScope>;

const Action = z.enum(["revoke", "suspend", "reinstate"]);

export const BulkStatusPreviewInput = z.object({ scope: BulkStatusScope, action: Action });
export const BulkStatusApplyInput = z
  .object({
    scope: BulkStatusScope,
    action: Action,
    reasonCode: z.enum(STATUS_REASON_CODES as [string, ...string[]]),
    note: z.string().trim().max(400).default(""),
    /** The preview's fingerprint: the change is refused if the credentials in scope changed since. */
    fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .refine((i) => (STATUS_REASONS[i.reasonCode as keyof typeof STATUS_REASONS].actions as readonly string[]).includes(i.action), {
    message: "this reason does not fit this action",
    path: ["reasonCode"],
  })
  .refine((i) => i.reasonCode !== "other" || i.note.length >= 3, { message: "describe the reason", path: ["note"] });

const FROM: Record<StatusAction, string[]> = { revoke: ["issued", "suspended"], suspend: ["issued"], reinstate: ["suspended"] };
const TO = { revoke: "revoked", suspend: "suspended", reinstate: "issued" } as const;

export interface BulkStatusPreview {
  action: StatusAction;
  /** Credentials (issued, suspended or revoked entitlements) in scope. */
  credentials: number;
  /** Of those, how many the action would change. */
  willChange: number;
  /** Already in the state the action leads to. */
  alreadyInState: number;
  /** In a state the action does not apply to (e.g. reinstating a revoked credential). */
  cannotChange: number;
  /** Credentials in scope by status. */
  byStatus: Record<string, number>;
  /** References named that match no beneficiary. */
  notFound: string[];
  /** References that match a beneficiary who has no credential in scope (e.g. not in that cycle). */
  withoutCredential: string[];
  /** A one-line description of the scope, kept in the audit event. */
  scope: string;
  /** Hash of the credentials in scope and their statuses; the apply step must present it. */
  fingerprint: string;
}

type Row = { id: string; status: string; beneficiaryId: string };

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function resolveScope(ctx: ServerContext, raw: BulkStatusScope) {
  const s = BulkStatusScope.parse(raw);
  const refs = [...new Set(s.refs)];
  let cycleCode: string | null = null;
  if (s.cycleId) {
    const cycle = await ctx.db.cycle.findUnique({ where: { id: s.cycleId }, include: { programme: { select: { code: true } } } });
    if (!cycle) throw new ApiError("ERR_NOT_FOUND", "This cycle does not exist.");
    cycleCode = `${cycle.programme.code} ${cycle.code}`;
  }
  const where = {
    status: s.status ?? { not: "pending" },
    ...(s.cycleId ? { cycleId: s.cycleId } : {}),
    ...(s.area ? { beneficiary: { area: s.area } } : {}),
    ...(s.delivered === "yes" ? { OR: [{ holderDid: { not: null } }, { printedAt: { not: null } }] } : {}),
    ...(s.delivered === "no" ? { holderDid: null, printedAt: null } : {}),
    // The flag the database keeps from Receipt (migration 0015), not a probe of Receipt per row.
    ...(s.redeemed ? { redeemed: s.redeemed === "yes" } : {}),
  };
  const select = { id: true, status: true, beneficiaryId: true } as const;
  const rows: Row[] = [];
  const notFound: string[] = [];
  const withoutCredential: string[] = [];
  if (refs.length) {
    const people: { id: string; ref: string }[] = [];
    for (const part of chunks(refs)) people.push(...(await ctx.db.beneficiary.findMany({ where: { ref: { in: part } }, select: { id: true, ref: true } })));
    const found = new Set(people.map((p) => p.ref));
    // Both lists keep the order of the officer's list, so they can be checked against it.
    for (const r of refs) if (!found.has(r)) notFound.push(r);
    for (const part of chunks(people.map((p) => p.id)))
      rows.push(...(await ctx.db.entitlement.findMany({ where: { ...where, beneficiaryId: { in: part } }, select })));
    const holding = new Set(rows.map((r) => r.beneficiaryId));
    const idOf = new Map(people.map((p) => [p.ref, p.id]));
    for (const r of refs) if (idOf.has(r) && !holding.has(idOf.get(r)!)) withoutCredential.push(r);
  } else {
    rows.push(...(await ctx.db.entitlement.findMany({ where, select })));
  }
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const fingerprint = sha256Hex(rows.map((r) => `${r.id}:${r.status}`).join("\n"));
  const scope = [
    refs.length ? `${refs.length} references${notFound.length ? ` (${notFound.length} not found)` : ""}` : null,
    cycleCode ? `cycle ${cycleCode}` : null,
    s.area ? `area ${s.area}` : null,
    s.status ? `status ${s.status}` : null,
    s.delivered ? `delivered ${s.delivered}` : null,
    s.redeemed ? `redeemed ${s.redeemed}` : null,
  ]
    .filter(Boolean)
    .join("; ");
  return { rows, notFound, withoutCredential, fingerprint, scope };
}

/**
 * What a bulk revoke / suspend / reinstate would do, without changing anything. Unknown
 * references are listed, not refused: the officer decides whether to go on without them.
 *
 * @example
 * const p = await previewBulkStatus(ctx, { scope: { refs: ["HK-7M2Q9XK4TB", "HK-NOPE000000"] }, action: "revoke" }, officer);
 * // { credentials: 1, willChange: 1, alreadyInState: 0, notFound: ["HK-NOPE000000"], fingerprint: "…", … }
 */
export async function previewBulkStatus(
  ctx: ServerContext,
  input: z.input<typeof BulkStatusPreviewInput>,
  actor: Actor,
): Promise<BulkStatusPreview> {
  requireRole(actor, "officer", "approver");
  const i = BulkStatusPreviewInput.parse(input);
  const { rows, notFound, withoutCredential, fingerprint, scope } = await resolveScope(ctx, i.scope);
  const byStatus: Record<string, number> = {};
  for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const willChange = rows.filter((r) => FROM[i.action].includes(r.status)).length;
  const alreadyInState = byStatus[TO[i.action]] ?? 0;
  return {
    action: i.action,
    credentials: rows.length,
    willChange,
    alreadyInState,
    cannotChange: rows.length - willChange - alreadyInState,
    byStatus,
    notFound,
    withoutCredential,
    scope,
    fingerprint,
  };
}

export interface BulkStatusResult {
  changed: number;
  skipped: number;
  notFound: string[];
  /** Sequence numbers of the audit events written (one per batch of BULK_STATUS_MAX). */
  auditSeqs: number[];
}

/**
 * Applies the previewed change. Refused with ERR_CONFLICT if the credentials in scope (or their
 * statuses) changed since the preview, so the officer confirms exactly what was shown. References
 * that were not found are left out (the preview listed them). Large scopes go through
 * bulkChangeStatus in batches of BULK_STATUS_MAX, each its own transaction and audit event; a
 * batch that fails leaves the earlier ones done, and sending the same request again finishes the
 * rest (already changed credentials are skipped).
 *
 * @example
 * await applyBulkStatus(ctx, { scope, action: "revoke", reasonCode: "death", note: "CRVS list 2027-03-02", fingerprint: p.fingerprint }, officer);
 * // { changed: 1, skipped: 0, notFound: ["HK-NOPE000000"], auditSeqs: [42] }
 */
export async function applyBulkStatus(ctx: ServerContext, input: z.input<typeof BulkStatusApplyInput>, actor: Actor): Promise<BulkStatusResult> {
  requireRole(actor, "officer", "approver");
  const i = BulkStatusApplyInput.parse(input);
  const { rows, notFound, fingerprint, scope } = await resolveScope(ctx, i.scope);
  if (fingerprint !== i.fingerprint) {
    throw new ApiError("ERR_CONFLICT", "The credentials in this list changed since the preview; check the new preview and confirm again.");
  }
  const reason = statusReasonText(i.reasonCode as keyof typeof STATUS_REASONS, i.note);
  const ids = rows.filter((r) => FROM[i.action as StatusAction].includes(r.status)).map((r) => r.id);
  const out: BulkStatusResult = { changed: 0, skipped: rows.length - ids.length, notFound, auditSeqs: [] };
  for (let k = 0; k < ids.length; k += BULK_STATUS_MAX) {
    const before = await ctx.db.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
    const r = await bulkChangeStatus(ctx, { action: i.action, entitlementIds: ids.slice(k, k + BULK_STATUS_MAX), reason, scope }, actor);
    out.changed += r.changed;
    out.skipped += r.skipped;
    if (r.changed > 0) {
      const event = await ctx.db.auditEvent.findFirst({
        where: { seq: { gt: before?.seq ?? 0 }, action: `entitlement.${i.action}`, actorId: actor.id },
        orderBy: { seq: "asc" },
        select: { seq: true },
      });
      if (event) out.auditSeqs.push(event.seq);
    }
  }
  return out;
}
