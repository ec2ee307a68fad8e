import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { readUserNames } from "@/server/auth/read-user-names";
import { decodeCursor, toPage, type Page } from "@/server/lib/cursor";
import { OptionalText } from "@/server/lib/filter-fields";
import { GRIEVANCE_CATEGORIES, GRIEVANCE_KINDS, GRIEVANCE_STATUSES } from "./grievance-model";

const Optional = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .enum([...values, ""] as unknown as [string, ...string[]])
    .optional()
    .transform((v) => (v ? (v as T[number]) : undefined));

export const GrievanceFilter = z.object({
  status: Optional(GRIEVANCE_STATUSES),
  category: Optional(GRIEVANCE_CATEGORIES),
  kind: Optional(GRIEVANCE_KINDS),
  /** A beneficiary reference. */
  ref: OptionalText(40, { upperCase: true }),
  after: z.string().max(1000).optional(),
});
export type GrievanceFilter = z.input<typeof GrievanceFilter>;

/** Grievances per page. */
export const GRIEVANCE_PAGE = 25;

/**
 * A page of grievances, newest first, filtered by status, category, kind or person.
 *
 * @example
 * const page = await readGrievances(ctx, { status: "open", category: "amount" });
 * page.rows[0].beneficiary.ref;
 */
export async function readGrievances(ctx: ServerContext, filter: GrievanceFilter, options: { pageSize?: number } = {}) {
  const f = GrievanceFilter.parse(filter);
  const size = options.pageSize ?? GRIEVANCE_PAGE;
  const cursor = decodeCursor(f.after, z.object({ at: z.string(), id: z.string() }));
  const at = cursor ? new Date(cursor.at) : null;
  const rows = await ctx.db.grievance.findMany({
    where: {
      ...(f.status ? { status: f.status } : {}),
      ...(f.category ? { category: f.category } : {}),
      ...(f.kind ? { kind: f.kind } : {}),
      ...(f.ref ? { beneficiary: { ref: f.ref } } : {}),
      ...(at && !Number.isNaN(at.getTime()) && cursor ? { OR: [{ createdAt: { lt: at } }, { createdAt: at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: size + 1,
    include: { beneficiary: { select: { ref: true, displayName: true, area: true } }, entitlement: { select: { id: true, cycle: { select: { id: true, code: true, programme: { select: { name: true } } } } } } },
  });
  const page: Page<(typeof rows)[number]> = toPage(rows, size, (g) => ({ at: g.createdAt.toISOString(), id: g.id }));
  const names = await readUserNames(ctx, page.rows.flatMap((g) => [g.createdBy, g.resolvedBy]));
  return {
    rows: page.rows.map((g) => ({ ...g, createdByName: names.get(g.createdBy) ?? g.createdBy, resolvedByName: g.resolvedBy ? (names.get(g.resolvedBy) ?? g.resolvedBy) : null })),
    next: page.next,
  };
}
