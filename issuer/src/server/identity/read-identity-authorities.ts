import { IdentityIssuer } from "@haki/claim169/trust";
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { readJsonColumn, readStoredValue } from "@/server/lib/json-column";

const StoredJwk = z.record(z.string(), z.string());

export interface IdentityAuthorityRow {
  id: string;
  issuer: string;
  name: string;
  alg: string;
  kid: string | null;
  publicJwk: Record<string, string>;
  createdAt: Date;
}

/**
 * Every national ID authority key the office added, newest first (the console's list).
 *
 * @example
 * const rows = await readIdentityAuthorities(ctx);
 */
export async function readIdentityAuthorities(ctx: ServerContext): Promise<IdentityAuthorityRow[]> {
  const rows = await ctx.db.identityAuthority.findMany({ orderBy: [{ createdAt: "desc" }, { id: "asc" }] });
  return rows.map((r) => ({ id: r.id, issuer: r.issuer, name: r.name, alg: r.alg, kid: r.kid, publicJwk: readJsonColumn(StoredJwk, r.publicJwk, "IdentityAuthority.publicJwk"), createdAt: r.createdAt }));
}

/**
 * The trust bundle's `identityIssuers`: one entry per issuer (`iss`), with all its keys.
 *
 * @example
 * const identityIssuers = await readIdentityIssuers(ctx); // [{ id, name, keys: [{ alg, kid?, publicKeyJwk }] }]
 */
export async function readIdentityIssuers(ctx: ServerContext): Promise<IdentityIssuer[]> {
  const rows = await ctx.db.identityAuthority.findMany({ orderBy: [{ issuer: "asc" }, { createdAt: "asc" }, { id: "asc" }] });
  const byIssuer = new Map<string, { name: string; keys: unknown[] }>();
  for (const r of rows) {
    const key = { alg: r.alg, ...(r.kid ? { kid: r.kid } : {}), publicKeyJwk: readJsonColumn(StoredJwk, r.publicJwk, "IdentityAuthority.publicJwk") };
    const entry = byIssuer.get(r.issuer) ?? { name: r.name, keys: [] };
    entry.keys.push(key);
    byIssuer.set(r.issuer, entry);
  }
  // An authority with more than 16 keys keeps its 16 newest (the bundle's limit per authority).
  return [...byIssuer].map(([id, e]) => readStoredValue(IdentityIssuer, () => ({ id, name: e.name, keys: e.keys.slice(-16) }), "IdentityAuthority"));
}
