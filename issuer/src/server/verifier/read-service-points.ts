import type { ServerContext } from "@/server/context";
import { readServicePointProgrammes } from "./service-points";

/** A service point as the console lists it. */
export interface ServicePointRow {
  id: string;
  name: string;
  area: string | null;
  programmes: string[];
  /** Devices enrolled at it. */
  devices: number;
  /** When it was switched off (null: in service). */
  disabledAt: Date | null;
}

/**
 * Every service point with its programmes and how many devices it has enrolled.
 *
 * @example
 * const points = await readServicePoints(ctx); // [{ id: "sp-demo-nairobi", programmes: ["cash"], devices: 2, ... }]
 */
export async function readServicePoints(ctx: ServerContext): Promise<ServicePointRow[]> {
  const points = await ctx.db.servicePoint.findMany({ orderBy: { id: "asc" }, include: { _count: { select: { devices: true } } } });
  return points.map((p) => ({ id: p.id, name: p.name, area: p.area, programmes: readServicePointProgrammes(p), devices: p._count.devices, disabledAt: p.disabledAt }));
}

/**
 * Every service point's id and name, by name: the choices of the settlement and redemptions filters.
 *
 * @example
 * const points = await readServicePointChoices(ctx); // [{ id: "sp-kibera", name: "Kibera market" }]
 */
export async function readServicePointChoices(ctx: ServerContext): Promise<{ id: string; name: string }[]> {
  return ctx.db.servicePoint.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } });
}
