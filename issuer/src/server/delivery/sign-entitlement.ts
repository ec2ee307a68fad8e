/**
 * Signing one entitlement's credential on request (a wallet's credential request, the VC-API), in
 * the cycle's JWT format or as an SD-JWT VC. The entitlement (status, holder) is read fresh every
 * time; what a credential says about its cycle and programme never changes once the cycle exists
 * (no code path updates those fields; only the cycle's state moves), so each cycle is read once.
 */
import type { SigningKey } from "@haki/credentials/keys";
import type { JwtCredentialFormat } from "@haki/credentials/model";
import type { SdJwtIssueInput } from "@haki/credentials/sd-jwt";
import { signCredential } from "@haki/credentials/sign";
import type { Cycle, Programme } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { cycleCredentialFormat, entitlementInput, statusTokenUrl } from "@/server/issuance/entitlement-input";

/**
 * The entitlement may not be signed now (revoked, suspended, gone): OpenID4VCI answers
 * `credential_request_denied`, the VC-API a 409.
 */
export class EntitlementUnavailableError extends Error {
  readonly code = "ERR_ENTITLEMENT_UNAVAILABLE" as const;
}

/** Cycles (and their programme) whose credentials this instance signed lately. */
const CYCLE_CACHE_SIZE = 64;

type EntitlementRow = { id: string; cycleId: string; status: string; statusList: number; statusIndex: number; ref: string; displayName: string | null; area: string | null };

// One joined statement instead of Prisma's include (a query per relation, each through the query
// compiler). Integers come back as bigint from SQLite's driver, hence Number().
async function readEntitlement(ctx: ServerContext, id: string): Promise<EntitlementRow> {
  const [row] = await ctx.db.$queryRaw<EntitlementRow[]>`
    SELECT e."id", e."cycleId", e."status", e."statusList", e."statusIndex", b."ref", b."displayName", b."area"
    FROM "Entitlement" e JOIN "Beneficiary" b ON b."id" = e."beneficiaryId" WHERE e."id" = ${id}`;
  if (!row) throw new EntitlementUnavailableError("This entitlement no longer exists.");
  if (row.status !== "issued") throw new EntitlementUnavailableError(`This entitlement is ${row.status}.`);
  return { ...row, statusList: Number(row.statusList), statusIndex: Number(row.statusIndex) };
}

export interface EntitlementSigners {
  /** The entitlement's JWT credential (the cycle's format unless `options.format`), bound to `holderDid` when given. */
  jwt(entitlementId: string, holderDid?: string, options?: { format?: JwtCredentialFormat }): Promise<string>;
  /** What `issueSdJwtVc` needs for the entitlement (the holder key is the caller's), and the key. */
  sdJwtInput(entitlementId: string): Promise<{ input: Omit<SdJwtIssueInput, "holder">; key: SigningKey }>;
}

/**
 * @example
 * const signers = createEntitlementSigners(ctx);
 * const vc = await signers.jwt(entitlementId, holderDid);
 */
export function createEntitlementSigners(ctx: ServerContext): EntitlementSigners {
  const cycles = new Map<string, Promise<Cycle & { programme: Programme }>>();
  const cycleOf = (id: string) => {
    let c = cycles.get(id);
    if (!c) {
      if (cycles.size >= CYCLE_CACHE_SIZE) cycles.delete(cycles.keys().next().value!);
      c = ctx.db.cycle.findUniqueOrThrow({ where: { id }, include: { programme: true } });
      c.catch(() => cycles.delete(id));
      cycles.set(id, c);
    }
    return c;
  };
  const load = async (entitlementId: string, holder?: string) => {
    const e = await readEntitlement(ctx, entitlementId);
    const [cycle, key] = await Promise.all([cycleOf(e.cycleId), ctx.keys.getSigningKey()]);
    const input = entitlementInput(
      { entitlement: e, cycle, programme: cycle.programme, beneficiary: e },
      { did: key.did, publicUrl: ctx.env.HAKI_PUBLIC_URL, ...(holder ? { holder } : {}) },
    );
    return { e, cycle, key, input };
  };
  return {
    async jwt(entitlementId, holderDid, options) {
      const { cycle, key, input } = await load(entitlementId, holderDid);
      return signCredential(input, key, { format: options?.format ?? cycleCredentialFormat(cycle) });
    },
    async sdJwtInput(entitlementId) {
      const { e, key, input } = await load(entitlementId);
      return {
        key,
        input: {
          issuerUrl: ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, ""),
          subject: input.subject,
          validFrom: input.validFrom,
          validUntil: input.validUntil,
          status: { uri: statusTokenUrl(ctx.env.HAKI_PUBLIC_URL, e.statusList), index: e.statusIndex },
        },
      };
    },
  };
}
