/**
 * Whom the VC-API's verify endpoints trust: this issuer's own keys (read each time: keys rotate)
 * and the issuers named in the trust list file HAKI_VC_API_TRUST_LIST (read once per process).
 */
import { readFileSync } from "node:fs";
import { parseTrustList, TrustList as TrustListSchema, type TrustList } from "@haki/credentials/trust";
import type { ServerContext } from "@/server/context";
import { readStoredValue } from "@/server/lib/json-column";

const configured = new Map<string, TrustList>();

function configuredTrustList(path: string): TrustList {
  let list = configured.get(path);
  if (!list) {
    list = readStoredValue(TrustListSchema, () => JSON.parse(readFileSync(path, "utf8")), "HAKI_VC_API_TRUST_LIST");
    configured.set(path, list);
  }
  return list;
}

/**
 * @example
 * const trust = await vcApiTrustList(ctx); // this issuer first, then the configured ones
 */
export async function vcApiTrustList(ctx: ServerContext): Promise<TrustList> {
  await ctx.keys.getSigningKey(); // a fresh install makes its first key here
  const keys = await ctx.keys.listPublicKeys();
  const own = { did: ctx.did, name: ctx.env.HAKI_ISSUER_NAME, keys: keys.map((k) => ({ id: k.kid, publicKeyJwk: k.publicJwk })) };
  const others = ctx.env.HAKI_VC_API_TRUST_LIST ? configuredTrustList(ctx.env.HAKI_VC_API_TRUST_LIST).issuers.filter((i) => i.did !== ctx.did) : [];
  return parseTrustList({ issuers: [own, ...others], updatedAt: ctx.now().toISOString() });
}
