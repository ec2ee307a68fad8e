/**
 * Status of the credentials the VC-API verifies, read straight from this issuer's database: a
 * Bitstring Status List entry pointing at one of this issuer's lists is answered from its bits;
 * any other list is not fetched (undefined: "not available").
 */
import type { BitstringStatusListEntry } from "@haki/credentials/model";
import { getStatus, statusListFromBytes } from "@haki/status-list/bitstring";
import type { ServerContext } from "@/server/context";

/**
 * Loads the lists the entries name (this issuer's only) and answers synchronously.
 *
 * @example
 * const status = await statusLookupFor(ctx, credential.credentialStatus);
 * status(entry); // true (set) | false (clear) | undefined (not one of ours)
 */
export async function statusLookupFor(ctx: ServerContext, entries: unknown): Promise<(entry: BitstringStatusListEntry) => boolean | undefined> {
  const prefix = `${ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, "")}/status/`;
  const lists = new Map<string, Uint8Array>();
  for (const entry of Array.isArray(entries) ? entries : entries ? [entries] : []) {
    const url = typeof (entry as { statusListCredential?: unknown }).statusListCredential === "string" ? (entry as { statusListCredential: string }).statusListCredential : "";
    const m = url.startsWith(prefix) ? /^(\d+)\/(revocation|suspension)$/.exec(url.slice(prefix.length)) : null;
    if (!m || lists.has(url)) continue;
    const row = await ctx.db.statusList.findUnique({ where: { id: `${m[1]}-${m[2]}` } });
    // A list never written to has every bit clear.
    lists.set(url, row ? new Uint8Array(row.bits) : new Uint8Array(0));
  }
  return (entry) => {
    const bits = lists.get(entry.statusListCredential);
    if (!bits) return undefined;
    if (bits.length === 0) return false;
    return getStatus(statusListFromBytes(bits), Number(entry.statusListIndex));
  };
}
