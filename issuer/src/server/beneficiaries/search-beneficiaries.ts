/**
 * Finding one person among a million: by reference (prefix), by name (every word a prefix of a
 * word of the name, accents and letter case ignored, any script), by the registry's own id (its
 * HMAC, the way it is stored: the id itself is never kept), or everyone of an area; narrowed to an
 * area, paged by keyset. Every query walks an index range (BeneficiaryNameToken, ref, area+ref,
 * registryIdHash), so a page costs the same on the first page and the thousandth.
 */
import { z } from "zod";
import { prefixUpperBound, searchWords } from "@haki/db/search";
import type { ServerContext } from "@/server/context";
import { registryIdHash } from "@/server/registry/import-registry";
import { decodeCursor, toPage, type Page } from "@/server/lib/cursor";
import { OptionalText } from "@/server/lib/filter-fields";
import { PERSON_COLUMNS } from "./person-columns";
import { providerOf, queryRows, rowMapper } from "@/server/lib/sql";
import { countArea, countNamePrefix, nameHasWordSql, orderNameWords, walkJoin, wordsFirst } from "./name-words";

export const SEARCH_BY = ["name", "ref", "registryId", "area"] as const;
export type SearchBy = (typeof SEARCH_BY)[number];

export const BeneficiarySearchInput = z.object({
  by: z.enum(SEARCH_BY).default("name"),
  q: z.string().trim().max(200).default(""),
  area: OptionalText(64),
  after: z.string().max(1000).optional(),
});
export type BeneficiarySearchInput = z.input<typeof BeneficiarySearchInput>;

/** A person as the search lists them, from a raw row of `COLUMNS`. */
const toHit = rowMapper({ id: "text", ...PERSON_COLUMNS, householdSize: "optionalNumber", enrolment: "text" });
export type BeneficiaryHit = ReturnType<typeof toHit>;

/** People per page. */
export const SEARCH_PAGE = 25;
/** A name word must have this many letters at least (an empty search lists nobody). */
export const MIN_NAME_PREFIX = 1;

export type SearchResult = Page<BeneficiaryHit> & { problem?: "too-short" | "need-area" };

const COLUMNS = `b."id", b."ref", b."displayName", b."area", b."householdSize", b."enrolment"`;

/**
 * One page of people matching a search.
 *
 * @example
 * await searchBeneficiaries(ctx, { by: "name", q: "aissata maiga", area: "ML-01" }); // { rows: [{ ref: "HK-…", displayName: "Aïssata Maïga", … }], next: "eyJ…" }
 * await searchBeneficiaries(ctx, { by: "registryId", q: "SR-KE-0000123" });          // through its HMAC
 */
export async function searchBeneficiaries(ctx: ServerContext, input: BeneficiarySearchInput, options: { pageSize?: number } = {}): Promise<SearchResult> {
  const s = BeneficiarySearchInput.parse(input);
  const size = options.pageSize ?? SEARCH_PAGE;
  switch (s.by) {
    case "name":
      return searchByName(ctx, s.q, s.area, s.after, size);
    case "ref":
      return searchByRef(ctx, s.q.toUpperCase(), s.area, s.after, size);
    case "registryId": {
      if (!s.q) return { rows: [], next: null, problem: "too-short" };
      const rows = await queryRows<Record<string, unknown>>(
        ctx,
        (p) =>
          `SELECT ${COLUMNS} FROM "Beneficiary" b WHERE b."registryIdHash" = ${p.add(registryIdHash(ctx, s.q))}` +
          (s.area ? ` AND b."area" = ${p.add(s.area)}` : "") +
          ` ORDER BY b."ref" LIMIT ${p.add(size)}`,
      );
      return { rows: rows.map(toHit), next: null };
    }
    case "area":
      if (!s.area) return { rows: [], next: null, problem: "need-area" };
      return searchByRef(ctx, "", s.area, s.after, size);
  }
}

async function searchByRef(ctx: ServerContext, prefix: string, area: string | undefined, after: string | undefined, size: number): Promise<SearchResult> {
  const from = decodeCursor(after, z.object({ ref: z.string() }));
  const rows = await queryRows<Record<string, unknown>>(ctx, (p) => {
    const where = [];
    if (area) where.push(`b."area" = ${p.add(area)}`);
    if (prefix) where.push(`b."ref" >= ${p.add(prefix)} AND b."ref" < ${p.add(prefixUpperBound(prefix))}`);
    if (from) where.push(`b."ref" > ${p.add(from.ref)}`);
    return `SELECT ${COLUMNS} FROM "Beneficiary" b ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY b."ref" LIMIT ${p.add(size + 1)}`;
  });
  return toPage(rows.map(toHit), size, (h) => ({ ref: h.ref }));
}

async function searchByName(ctx: ServerContext, q: string, area: string | undefined, after: string | undefined, size: number): Promise<SearchResult> {
  const words = searchWords(q);
  if (!words[0] || words[0].length < MIN_NAME_PREFIX) return { rows: [], next: null, problem: "too-short" };
  const cursor = decodeCursor(after, z.object({ t: z.string(), id: z.string(), w: z.string().optional() }));
  const { lead, rest, leadCount } = await orderNameWords(ctx, words, cursor?.w);
  const from = cursor?.t.startsWith(lead) ? cursor : null;
  const provider = providerOf(ctx);
  const fromWords = !area || wordsFirst(leadCount ?? (await countNamePrefix(ctx, lead)), await countArea(ctx, area));
  const from_ = fromWords
    ? `"BeneficiaryNameToken" t${walkJoin(provider, `"Beneficiary"`, "b", `b."id" = t."beneficiaryId"`)}`
    : `"Beneficiary" b ${provider === "sqlite" ? "CROSS JOIN" : "JOIN"} "BeneficiaryNameToken" t ON b."id" = t."beneficiaryId"`;
  // The lead word walks its range of the token index (in token, person order); the others must
  // each prefix some word of the same person's name.
  const rows = await queryRows<Record<string, unknown>>(ctx, (p) => {
    const where = [`t."token" >= ${p.add(from ? from.t : lead)}`, `t."token" < ${p.add(prefixUpperBound(lead))}`];
    if (from) where.push(`(t."token" > ${p.add(from.t)} OR t."beneficiaryId" > ${p.add(from.id)})`);
    for (const w of rest) where.push(nameHasWordSql(p, w));
    if (area) where.push(`b."area" = ${p.add(area)}`);
    return `SELECT t."token" AS "matched", ${COLUMNS} FROM ${from_} WHERE ${where.join(" AND ")} ORDER BY t."token", t."beneficiaryId" LIMIT ${p.add(size + 1)}`;
  });
  const keyed = rows.map((r) => ({ hit: toHit(r), token: String(r.matched) }));
  const page = toPage(keyed, size, (k) => ({ t: k.token, id: k.hit.id, w: lead }));
  // A person whose name has the leading prefix twice ("Maïga Maïgara") shows once.
  const seen = new Set<string>();
  return {
    rows: page.rows.filter((k) => !seen.has(k.hit.id) && seen.add(k.hit.id)).map((k) => k.hit),
    next: page.next,
  };
}
