import type { ServerContext } from "@/server/context";
import type { Actor } from "@/server/auth/roles";
import { readJsonColumn } from "@/server/lib/json-column";
import { readUserNames } from "@/server/auth/read-user-names";
import { FrozenTotals } from "./frozen-set";

/**
 * The approvers' inbox: cycles submitted and waiting, oldest first, with the frozen list's count and
 * totals and whether this approver may approve it (four eyes); and the cycles an approver returned,
 * for the officers who must change them.
 *
 * @example
 * const { waiting, returned } = await readApprovals(ctx, approver);
 * waiting[0].totals.total; waiting[0].mayApprove;
 */
export async function readApprovals(ctx: ServerContext, actor: Actor) {
  const [waiting, returned] = await Promise.all([
    ctx.db.cycle.findMany({ where: { state: "submitted" }, include: { programme: true }, orderBy: { submittedAt: "asc" }, take: 200 }),
    ctx.db.cycle.findMany({ where: { state: "draft", returnedAt: { not: null } }, include: { programme: true }, orderBy: { returnedAt: "desc" }, take: 200 }),
  ]);
  const names = await readUserNames(ctx, [...waiting.flatMap((c) => [c.submittedBy, c.preparedBy]), ...returned.map((c) => c.returnedBy)]);
  const nameOf = (id: string | null) => (id ? (names.get(id) ?? id) : null);
  const cycleOf = (c: (typeof waiting)[number]) => ({ id: c.id, code: c.code, programme: c.programme.name });
  return {
    waiting: waiting.map((c) => ({
      ...cycleOf(c),
      submittedAt: c.submittedAt,
      submittedBy: nameOf(c.submittedBy),
      totals: c.frozenTotals ? readJsonColumn(FrozenTotals, c.frozenTotals, "Cycle.frozenTotals") : null,
      mayApprove: actor.roles.includes("approver") && c.preparedBy !== actor.id && c.submittedBy !== actor.id,
    })),
    returned: returned.map((c) => ({
      ...cycleOf(c),
      returnedAt: c.returnedAt,
      returnedBy: nameOf(c.returnedBy),
      comment: c.returnComment,
    })),
  };
}

/**
 * How many cycles wait for an approver (the console's menu shows it to approvers).
 *
 * @example
 * const waiting = await countWaitingApprovals(ctx); // 2
 */
export function countWaitingApprovals(ctx: ServerContext): Promise<number> {
  return ctx.db.cycle.count({ where: { state: "submitted" } });
}
