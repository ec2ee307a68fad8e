import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { readJsonColumn } from "@/server/lib/json-column";
import { readDciSource, type DciSourceView } from "./dci-source";

/** A saved column mapping as shown for editing (the import itself checks it strictly). */
const StoredMapping = z.record(z.string(), z.string());

/**
 * The registry sources by name: CSV sources with their column mapping, DCI sources with their
 * settings (the access token only as a hint).
 *
 * @example
 * const { csv, dci } = await readRegistrySources(ctx); // csv[0].mapping.household_id === "registryId"
 */
export async function readRegistrySources(ctx: ServerContext): Promise<{
  csv: { id: string; name: string; mapping: Record<string, string> }[];
  dci: { id: string; name: string; view: DciSourceView }[];
}> {
  const all = await ctx.db.registrySource.findMany({ orderBy: { name: "asc" } });
  return {
    csv: all.filter((s) => s.kind !== "dci").map((s) => ({ id: s.id, name: s.name, mapping: readJsonColumn(StoredMapping, s.mapping, "RegistrySource.mapping") })),
    dci: all.filter((s) => s.kind === "dci").map((s) => ({ id: s.id, name: s.name, view: readDciSource(ctx, s) })),
  };
}
