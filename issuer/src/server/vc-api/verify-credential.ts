/**
 * W3C VC-API `POST /credentials/verify`: checks a Haki credential (VC-JWT) against this issuer's
 * keys and its current status lists, read straight from the database.
 */
import { z } from "zod";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { verifyCredential } from "@haki/credentials/verify";
import { trustListOf } from "@haki/credentials/trust";
import { statusListFromBytes, getStatus } from "@haki/status-list/bitstring";
import type { ServerContext } from "@/server/context";

export const VerifyRequest = z.object({
  verifiableCredential: z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "a VC-JWT (compact JWS)"),
  options: z.object({ now: z.iso.datetime({ offset: true }).optional() }).optional(),
});
export type VerifyRequest = z.infer<typeof VerifyRequest>;

export interface VerifyResponse {
  verified: boolean;
  checks: string[];
  warnings: string[];
  errors: { code: string; message: string }[];
  status?: { revocation: string; suspension: string };
}

/**
 * @example
 * const result = await verifyCredentialApi(ctx, { verifiableCredential: jwt });
 */
export async function verifyCredentialApi(ctx: ServerContext, req: VerifyRequest): Promise<VerifyResponse> {
  // Signed by a distrusted (compromised) key: refused whatever else it says.
  const distrusted = (await ctx.keys.listDistrustedKeys()).find((k) => k.kid === headerKid(req.verifiableCredential));
  if (distrusted) {
    return {
      verified: false,
      checks: [],
      warnings: [],
      errors: [{ code: "ERR_KEY_DISTRUSTED", message: `This credential was signed with a key the issuer distrusted on ${distrusted.distrustedAt.toISOString().slice(0, 10)}; ask for a re-issued one.` }],
    };
  }
  const keys = await ctx.keys.listPublicKeys();
  const trust = trustListOf({ did: ctx.did, name: ctx.env.HAKI_ISSUER_NAME, keys: keys.map((k) => ({ id: k.kid, publicKeyJwk: k.publicJwk })) });

  // Load the lists the credential points at (ours only) so the lookup can answer synchronously.
  const prefix = `${ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, "")}/status/`;
  const lists = new Map<string, Uint8Array>();
  let entries: { statusListCredential?: unknown }[] = [];
  try {
    const vc = (decodeJwt(req.verifiableCredential) as { vc?: { credentialStatus?: unknown } }).vc;
    entries = Array.isArray(vc?.credentialStatus) ? (vc.credentialStatus as { statusListCredential?: unknown }[]) : [];
  } catch {
    // Malformed tokens are reported by verifyCredential below.
  }
  for (const entry of entries) {
    const url = typeof entry.statusListCredential === "string" ? entry.statusListCredential : "";
    const m = url.startsWith(prefix) ? /^(\d+)\/(revocation|suspension)$/.exec(url.slice(prefix.length)) : null;
    if (!m) continue;
    const row = await ctx.db.statusList.findUnique({ where: { id: `${m[1]}-${m[2]}` } });
    // A list never written to has every bit clear.
    lists.set(url, row ? new Uint8Array(row.bits) : new Uint8Array(0));
  }
  const result = await verifyCredential(req.verifiableCredential, trust, {
    now: req.options?.now ? new Date(req.options.now) : ctx.now(),
    requireStatus: true,
    status: (entry) => {
      const bits = lists.get(entry.statusListCredential);
      if (!bits) return undefined;
      if (bits.length === 0) return false;
      return getStatus(statusListFromBytes(bits), Number(entry.statusListIndex));
    },
  });
  if (result.valid) {
    return { verified: true, checks: ["proof", "expiration", "credentialStatus", "credentialSchema"], warnings: [], errors: [], status: result.status };
  }
  return { verified: false, checks: [], warnings: [], errors: [{ code: result.code, message: result.reason }] };
}

function headerKid(jwt: string): string | undefined {
  try {
    return decodeProtectedHeader(jwt).kid;
  } catch {
    return undefined;
  }
}
