/**
 * One page of a cycle's entitlements for the cycle page, however large the cycle: filtered by
 * state, area, delivered or not and redeemed or not, or searched by reference or name, paged by
 * keyset (entitlement id order, or name-word order when searching). Each page walks an index from
 * where the last one stopped: the millionth row costs what the first does.
 */
import { z } from "zod";
import { OptionalText } from "@/server/lib/filter-fields";
import { prefixUpperBound, searchWords } from "@haki/db/search";
import type { ServerContext } from "@/server/context";
import { decodeCursor, toPage, type Page } from "@/server/lib/cursor";
import { asOptionalDate, asOptionalText, queryRows, rowMapper, type SqlBuilder } from "@/server/lib/sql";
import { deliveryState, type DeliveryState } from "@/server/delivery/delivery-state";
import { nameHasWordSql, orderNameWords, walkJoin } from "@/server/beneficiaries/name-words";
import { PERSON_COLUMNS } from "@/server/beneficiaries/person-columns";

const YesNo = z
  .enum(["yes", "no", ""])
  .optional()
  .transform((v) => v || undefined);

export const CycleListFilter = z.object({
  status: z
    .enum(["pending", "issued", "suspended", "revoked", ""])
    .optional()
    .transform((v) => v || undefined),
  area: OptionalText(64),
  delivered: YesNo,
  redeemed: YesNo,
  /** A reference (or its beginning) or words of a name. */
  q: OptionalText(200),
  after: OptionalText(1000),
});
export type CycleListFilter = z.input<typeof CycleListFilter>;

/** Rows per page of the cycle page. */
export const CYCLE_PAGE_ROWS = 50;

/** The columns of a cycle row read as they are (the delivery state is worked out from others). */
const toListed = rowMapper({ id: "text", status: "text", statusReason: "optionalText", ...PERSON_COLUMNS, issuedAt: "optionalDate", redeemed: "bool" });

/** One entitlement as the cycle page lists it. */
export type CycleRow = ReturnType<typeof toListed> & { delivery: DeliveryState };

const REF = /^HK-[0-9A-Z]*$/i;

/** The filter conditions on `e` (Entitlement) and `b` (Beneficiary), without the cycle and paging. */
function filterSql(p: SqlBuilder, f: z.output<typeof CycleListFilter>): string[] {
  const where: string[] = [];
  if (f.status) where.push(`e."status" = ${p.add(f.status)}`);
  if (f.area) where.push(`b."area" = ${p.add(f.area)}`);
  if (f.delivered === "yes") where.push(`(e."holderDid" IS NOT NULL OR e."printedAt" IS NOT NULL)`);
  if (f.delivered === "no") where.push(`e."holderDid" IS NULL AND e."printedAt" IS NULL`);
  // The stored flag the database's triggers keep from Receipt (migration 0015): an index range.
  if (f.redeemed) where.push(`e."redeemed" = ${p.bool(f.redeemed === "yes")}`);
  return where;
}

/** Columns of a listed row (the latest offer is read for the page's rows only). */
const COLUMNS =
  `e."id", e."status", e."statusReason", e."holderDid", e."printedAt", e."bearerForm", e."issuedAt", b."ref", b."displayName", b."area", ` +
  `(SELECT o."expiresAt" FROM "Offer" o WHERE o."entitlementId" = e."id" ORDER BY o."createdAt" DESC LIMIT 1) AS "offerExpiresAt", ` +
  `(SELECT o."credentialIssuedAt" FROM "Offer" o WHERE o."entitlementId" = e."id" ORDER BY o."createdAt" DESC LIMIT 1) AS "offerCollectedAt", ` +
  `(SELECT o."walletEvent" FROM "Offer" o WHERE o."entitlementId" = e."id" ORDER BY o."createdAt" DESC LIMIT 1) AS "offerWalletEvent", ` +
  `e."redeemed"`;

export interface ReadOptions {
  pageSize?: number;
  /** The share of the cycle the filter matches (0..1, from the cycle's tally), when known. */
  share?: number;
}

/** Below this share of the cycle, a page of an area is found faster from the area's people. */
export const RARE_AREA_SHARE = 1 / 1000;

/**
 * The join for a page in entitlement id order. SQLite's planner, given an area, starts from the
 * area's people and sorts all of that area's entitlements for every page (an average area of a
 * million-person cycle: 20,000 rows sorted per page, and again for the next page); walking the
 * cycle's entitlements in id order and checking each one's area stops after a page of matches.
 * SQLite's CROSS JOIN keeps the tables in the order written. Only for an area that holds a tiny
 * share of the cycle (known from the tally) is starting from its people the shorter walk.
 * PostgreSQL's planner weighs both with its statistics.
 */
function entitlementsFirst(p: SqlBuilder, f: z.output<typeof CycleListFilter>, share: number | undefined): string {
  const force = p.provider === "sqlite" && !(f.area && share !== undefined && share < RARE_AREA_SHARE);
  return `FROM "Entitlement" e ${force ? "CROSS JOIN" : "JOIN"} "Beneficiary" b ON b."id" = e."beneficiaryId"`;
}

/**
 * A page of the cycle's entitlements.
 *
 * @example
 * const page = await readCycleEntitlements(ctx, cycleId, { status: "issued", area: "KE-047", delivered: "no" });
 * page.rows[0].ref; page.next; // the next page's cursor, or null
 */
export async function readCycleEntitlements(ctx: ServerContext, cycleId: string, filter: CycleListFilter, options: ReadOptions = {}): Promise<Page<CycleRow>> {
  const f = CycleListFilter.parse(filter);
  const size = options.pageSize ?? CYCLE_PAGE_ROWS;
  const now = ctx.now();
  const toRow = (r: Record<string, unknown>): CycleRow => {
    const offerExpiresAt = asOptionalDate(r.offerExpiresAt);
    return {
      ...toListed(r),
      delivery: deliveryState(
        {
          status: String(r.status),
          bearerForm: String(r.bearerForm),
          holderDid: asOptionalText(r.holderDid),
          printedAt: asOptionalDate(r.printedAt),
        },
        offerExpiresAt
          ? {
              expiresAt: offerExpiresAt,
              credentialIssuedAt: asOptionalDate(r.offerCollectedAt),
              walletEvent: asOptionalText(r.offerWalletEvent),
            }
          : null,
        now,
      ),
    };
  };

  if (f.q && REF.test(f.q)) {
    const prefix = f.q.toUpperCase();
    const cursor = decodeCursor(f.after, z.object({ ref: z.string() }));
    const rows = await queryRows<Record<string, unknown>>(ctx, (p) => {
      const where = [`b."ref" >= ${p.add(cursor && cursor.ref > prefix ? cursor.ref : prefix)}`, `b."ref" < ${p.add(prefixUpperBound(prefix))}`];
      if (cursor) where.push(`b."ref" > ${p.add(cursor.ref)}`);
      where.push(`e."cycleId" = ${p.add(cycleId)}`, ...filterSql(p, f));
      return `SELECT ${COLUMNS} FROM "Entitlement" e JOIN "Beneficiary" b ON b."id" = e."beneficiaryId" WHERE ${where.join(" AND ")} ORDER BY b."ref" LIMIT ${p.add(size + 1)}`;
    });
    return toPage(rows.map(toRow), size, (r) => ({ ref: r.ref }));
  }

  if (f.q) {
    const words = searchWords(f.q);
    if (!words.length) return { rows: [], next: null };
    const c = decodeCursor(f.after, z.object({ t: z.string(), id: z.string(), w: z.string().optional() }));
    const { lead, rest } = await orderNameWords(ctx, words, c?.w);
    const cursor = c?.t.startsWith(lead) ? c : null;
    const rows = await queryRows<Record<string, unknown>>(ctx, (p) => {
      // Parameters in the order their placeholders appear (SQLite's are positional): the join's first.
      const cycle = p.add(cycleId);
      const where = [`t."token" >= ${p.add(cursor ? cursor.t : lead)}`, `t."token" < ${p.add(prefixUpperBound(lead))}`];
      if (cursor) where.push(`(t."token" > ${p.add(cursor.t)} OR t."beneficiaryId" > ${p.add(cursor.id)})`);
      for (const w of rest) where.push(nameHasWordSql(p, w));
      where.push(...filterSql(p, f));
      return (
        `SELECT t."token" AS "matched", e."beneficiaryId" AS "beneficiaryId", ${COLUMNS} FROM "BeneficiaryNameToken" t` +
        walkJoin(p.provider, `"Entitlement"`, "e", `e."beneficiaryId" = t."beneficiaryId" AND e."cycleId" = ${cycle}`) +
        walkJoin(p.provider, `"Beneficiary"`, "b", `b."id" = e."beneficiaryId"`) +
        ` ` +
        `WHERE ${where.join(" AND ")} ORDER BY t."token", t."beneficiaryId" LIMIT ${p.add(size + 1)}`
      );
    });
    const keyed = rows.map((r) => ({
      row: toRow(r),
      t: String(r.matched),
      b: String(r.beneficiaryId),
    }));
    const page = toPage(keyed, size, (k) => ({ t: k.t, id: k.b, w: lead }));
    const seen = new Set<string>();
    return {
      rows: page.rows.filter((k) => !seen.has(k.row.id) && seen.add(k.row.id)).map((k) => k.row),
      next: page.next,
    };
  }

  const cursor = decodeCursor(f.after, z.object({ id: z.string() }));
  const rows = await queryRows<Record<string, unknown>>(ctx, (p) => {
    const where = [`e."cycleId" = ${p.add(cycleId)}`, ...filterSql(p, f)];
    if (cursor) where.push(`e."id" > ${p.add(cursor.id)}`);
    return `SELECT ${COLUMNS} ${entitlementsFirst(p, f, options.share)} WHERE ${where.join(" AND ")} ORDER BY e."id" LIMIT ${p.add(size + 1)}`;
  });
  return toPage(rows.map(toRow), size, (r) => ({ id: r.id }));
}

/**
 * Calls `onPage` for every entitlement of the cycle matching the filter (no search), page by page:
 * the export of a filtered list.
 *
 * @example
 * await walkCycleEntitlements(ctx, cycleId, { status: "issued" }, (rows) => write(rows));
 */
export async function walkCycleEntitlements(
  ctx: ServerContext,
  cycleId: string,
  filter: Omit<CycleListFilter, "q" | "after">,
  onPage: (rows: CycleRow[]) => Promise<void> | void,
): Promise<void> {
  for (let after: string | undefined; ;) {
    const page = await readCycleEntitlements(ctx, cycleId, { ...filter, q: undefined, after }, { pageSize: 2000 });
    if (page.rows.length) await onPage(page.rows);
    if (!page.next) return;
    after = page.next;
  }
}
