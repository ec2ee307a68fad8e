/**
 * Signing one entitlement's credential on request (a wallet's credential request, the VC-API), in
 * the cycle's JWT format or as an SD-JWT VC. The entitlement (status, holder) is read fresh every
 * time; what a credential says about its cycle and programme never changes once the cycle exists
 * (no code path updates those fields; only the cycle's state moves), so each cycle is read once.
 */
import type { SigningKey } from "@haki/credentials/keys";
import type { JwtCredentialFormat } from "@haki/credentials/model";
import type { SdJwtIssueInput } from "@haki/credentials/sd-jwt";
import type { Cycle, Programme } from "@haki/db";
import { selectEntitlementForCredential, type CredentialEntitlementRow } from "@haki/db/bulk";
import type { ServerContext } from "@/server/context";
import { deliverySql } from "./delivery-sql";
import { cycleCredentialFormat, entitlementInput, statusTokenUrl } from "@/server/issuance/entitlement-input";
import { makeCycleSigner } from "@/server/issuance/cycle-signer";
import type { StatusPosition } from "./status-position";

/**
 * The entitlement may not be signed now (revoked, suspended, gone): OpenID4VCI answers
 * `credential_request_denied`, the VC-API a 409.
 */
export class EntitlementUnavailableError extends Error {
  readonly code = "ERR_ENTITLEMENT_UNAVAILABLE" as const;
}

/** Cycles (and their programme) whose credentials this instance signed lately. */
const CYCLE_CACHE_SIZE = 64;

// One joined statement on the direct driver connection, prepared once (not Prisma's include: a
// query per relation, each through the query compiler).
async function readEntitlement(ctx: ServerContext, id: string): Promise<CredentialEntitlementRow> {
  const row = await selectEntitlementForCredential(deliverySql(ctx), id);
  if (!row) throw new EntitlementUnavailableError("This entitlement no longer exists.");
  if (row.status !== "issued") throw new EntitlementUnavailableError(`This entitlement is ${row.status}.`);
  return row;
}

export interface EntitlementSigners {
  /**
   * The entitlement's JWT credential (the cycle's format unless `options.format`), bound to
   * `holderDid` when given, at its status position unless `options.position` (the one a phone
   * delivery just moved it to, ./phone-form.ts).
   */
  jwt(entitlementId: string, holderDid?: string, options?: { format?: JwtCredentialFormat; position?: StatusPosition }): Promise<string>;
  /** What `issueSdJwtVc` needs for the entitlement (the holder key is the caller's), and the key. */
  sdJwtInput(entitlementId: string, options?: { position?: StatusPosition }): Promise<{ input: Omit<SdJwtIssueInput, "holder">; key: SigningKey }>;
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
  // One compiled signer per cycle, key and format: the cycle's fixed JSON is serialized once and
  // each credential joins it with its own fields (the same bytes as signCredential, tested).
  const signers = new Map<string, ReturnType<typeof makeCycleSigner>>();
  const signerFor = (cycle: Cycle & { programme: Programme }, key: SigningKey & { did: string }, format: JwtCredentialFormat) => {
    const k = `${cycle.id}|${key.kid}|${format}`;
    let sign = signers.get(k);
    if (!sign) {
      if (signers.size >= CYCLE_CACHE_SIZE) signers.delete(signers.keys().next().value!);
      sign = makeCycleSigner({ cycle, programme: cycle.programme }, key, { did: key.did, publicUrl: ctx.env.HAKI_PUBLIC_URL }, { format });
      signers.set(k, sign);
    }
    return sign;
  };
  const load = async (entitlementId: string, position?: StatusPosition) => {
    const read = await readEntitlement(ctx, entitlementId);
    const e = position ? { ...read, statusList: position.list, statusIndex: position.index } : read;
    const [cycle, key] = await Promise.all([cycleOf(e.cycleId), ctx.keys.getSigningKey()]);
    return { e, cycle, key };
  };
  return {
    async jwt(entitlementId, holderDid, options) {
      const { e, cycle, key } = await load(entitlementId, options?.position);
      const sign = signerFor(cycle, key, options?.format ?? cycleCredentialFormat(cycle));
      return sign({ ...e, beneficiary: e, ...(holderDid ? { holder: holderDid } : {}) });
    },
    async sdJwtInput(entitlementId, options) {
      const { e, cycle, key } = await load(entitlementId, options?.position);
      const input = entitlementInput({ entitlement: e, cycle, programme: cycle.programme, beneficiary: e }, { did: key.did, publicUrl: ctx.env.HAKI_PUBLIC_URL });
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
