/**
 * Distrusting a compromised issuer key and re-issuing what it signed.
 *
 * Distrust (admin): the key is rotated out if active, leaves the DID document and the next trust
 * bundle (devices that refresh refuse what it signed), and the issuer's own checks (VC-API verify)
 * refuse its credentials with ERR_KEY_DISTRUSTED.
 *
 * Re-issue: every stored credential the key signed (the cards bulk issuance made) is signed again
 * with the active key, same entitlement, same status position, so paper cards can be reprinted
 * from the cycle page and the VC-API hands out the new one. Credentials delivered to phones were
 * signed at delivery and are not stored: the count of those comes back so the office sends those
 * people a new offer.
 */
import { decodeProtectedHeader } from "jose";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { requireRole, type Actor } from "@/server/auth/roles";
import { makeCycleSigner } from "@/server/issuance/cycle-signer";

/** An issuer key as the console lists it. */
export interface IssuerKeyRow {
  kid: string;
  state: "active" | "next" | "retired" | "distrusted";
  createdAt: Date;
  distrustedAt: Date | null;
  reason: string | null;
}

/**
 * The issuer's keys with their state, newest first.
 *
 * @example
 * const keys = await readIssuerKeys(ctx); // [{ kid, state: "active" }, { kid, state: "distrusted", reason }]
 */
export async function readIssuerKeys(ctx: ServerContext): Promise<IssuerKeyRow[]> {
  const rows = await ctx.db.issuerKey.findMany({ where: { did: ctx.did }, orderBy: { createdAt: "desc" } });
  return rows.map((k) => ({
    kid: k.kid,
    state: k.distrustedAt ? "distrusted" : k.active ? "active" : k.retiredAt ? "retired" : "next",
    createdAt: k.createdAt,
    distrustedAt: k.distrustedAt,
    reason: k.distrustReason,
  }));
}

/**
 * Distrusts an issuer key (admin), with a reason.
 *
 * @example
 * await distrustIssuerKey(ctx, { kid: "did:web:pay.example.org#key-abc", reason: "backup tape lost" }, admin);
 */
export async function distrustIssuerKey(ctx: ServerContext, input: { kid: string; reason: string }, actor: Actor): Promise<void> {
  requireRole(actor, "admin");
  const reason = input.reason.trim();
  if (!reason) throw new ApiError("ERR_BAD_REQUEST", "Say why the key is distrusted.");
  const row = await ctx.db.issuerKey.findUnique({ where: { kid: input.kid } });
  if (!row || row.did !== ctx.did) throw new ApiError("ERR_NOT_FOUND", "No such issuer key.");
  await ctx.keys.distrust({ kid: row.kid, actorId: actor.id, reason });
}

/** The key id a stored credential (compact JWS) was signed with, or null when unreadable. */
function signedBy(jwt: string): string | null {
  try {
    return decodeProtectedHeader(jwt).kid ?? null;
  } catch {
    return null;
  }
}

/**
 * Re-signs, with the active key, every stored credential a distrusted key signed (admin or
 * officer), one page of entitlements at a time. Safe to run again (what is done is not redone).
 *
 * @example
 * const { resigned, onPhones, cycles } = await reissueSignedBy(ctx, { kid }, admin);
 */
export async function reissueSignedBy(ctx: ServerContext, input: { kid: string }, actor: Actor, options: { pageSize?: number } = {}): Promise<{ resigned: number; onPhones: number; cycles: string[] }> {
  requireRole(actor, "admin", "officer");
  const distrusted = (await ctx.keys.listDistrustedKeys()).find((k) => k.kid === input.kid);
  if (!distrusted) throw new ApiError("ERR_INVALID_STATE", "Only what a distrusted key signed is re-issued; distrust the key first.");
  const key = await ctx.keys.getSigningKey();
  const pageSize = options.pageSize ?? 1000;
  const signers = new Map<string, ReturnType<typeof makeCycleSigner>>();
  const perCycle = new Map<string, number>();
  let resigned = 0;
  let onPhones = 0;
  for (let after = ""; ; ) {
    const page = await ctx.db.entitlement.findMany({
      where: { id: { gt: after }, credential: { not: null } },
      orderBy: { id: "asc" },
      take: pageSize,
      include: { beneficiary: { select: { ref: true, displayName: true, area: true } } },
    });
    if (page.length === 0) break;
    after = page[page.length - 1]!.id;
    const mine = page.filter((e) => signedBy(e.credential!) === input.kid);
    for (const e of mine) {
      let sign = signers.get(e.cycleId);
      if (!sign) {
        const cycle = await ctx.db.cycle.findUniqueOrThrow({ where: { id: e.cycleId }, include: { programme: true } });
        sign = makeCycleSigner({ cycle, programme: cycle.programme }, key, { did: key.did, publicUrl: ctx.env.HAKI_PUBLIC_URL });
        signers.set(e.cycleId, sign);
      }
      const credential = await sign(e);
      // Only if still the one the distrusted key signed (another run may have got there first).
      const { count } = await ctx.db.entitlement.updateMany({ where: { id: e.id, credential: e.credential }, data: { credential } });
      resigned += count;
      if (e.holderDid) onPhones++;
      perCycle.set(e.cycleId, (perCycle.get(e.cycleId) ?? 0) + count);
    }
  }
  await ctx.db.$transaction((tx) =>
    appendAuditEvent(tx, ctx, { actorId: actor.id, action: "key.reissue", subject: input.kid, details: { resigned, onPhones, cycles: Object.fromEntries(perCycle), withKey: key.kid } }),
  );
  return { resigned, onPhones, cycles: [...perCycle.keys()] };
}
