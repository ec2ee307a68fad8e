/**
 * The registry's list of administrative areas (code and place name), so people read "Nairobi"
 * where records carry "KE-047": on the wallet's card, the verifier's answer and the console. An
 * officer pastes the registry's area list (CSV: code, name); the list is merged, never emptied.
 */
import { parse } from "csv-parse/sync";
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";

export const AreaRow = z.object({
  code: z.string().trim().regex(/^[A-Za-z0-9._:-]{1,64}$/, "area code: letters, digits, . _ : -"),
  name: z.string().trim().min(1).max(120),
});
export type AreaRow = z.infer<typeof AreaRow>;

/** At most this many areas in one list (a country's districts or counties, not its villages). */
export const MAX_AREAS = 5000;

/**
 * Reads a pasted area list: one `code,name` per line (a header line `code,name` is skipped).
 * Throws ApiError ERR_BAD_REQUEST naming the first bad line.
 *
 * @example
 * parseAreaList("code,name\nKE-047,Nairobi\nKE-042,Kisumu"); // [{ code: "KE-047", name: "Nairobi" }, ...]
 */
export function parseAreaList(text: string): AreaRow[] {
  let rows: string[][];
  try {
    rows = parse(text, { skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  } catch (cause) {
    throw new ApiError("ERR_BAD_REQUEST", "The area list is not CSV.", { cause });
  }
  const out: AreaRow[] = [];
  for (const [i, row] of rows.entries()) {
    if (i === 0 && row[0]?.toLowerCase() === "code") continue;
    const r = AreaRow.safeParse({ code: row[0], name: row.slice(1).join(", ") });
    if (!r.success) throw new ApiError("ERR_BAD_REQUEST", `Line ${i + 1} of the area list is not "code,name".`, { details: { line: i + 1 } });
    out.push(r.data);
  }
  if (out.length > MAX_AREAS) throw new ApiError("ERR_PAYLOAD_TOO_LARGE", `At most ${MAX_AREAS} areas in one list.`);
  return out;
}

/**
 * Adds or renames areas (officer or admin); audited.
 *
 * @example
 * await saveAreaList(ctx, [{ code: "KE-047", name: "Nairobi" }], officer);
 */
export async function saveAreaList(ctx: ServerContext, areas: readonly AreaRow[], actor: Actor): Promise<{ saved: number }> {
  requireRole(actor, "officer", "admin");
  const rows = areas.map((a) => AreaRow.parse(a));
  await ctx.db.$transaction(async (tx) => {
    for (const a of rows) await tx.area.upsert({ where: { code: a.code }, create: a, update: { name: a.name } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "areas.save", subject: null, details: { areas: rows.length } });
  });
  return { saved: rows.length };
}
