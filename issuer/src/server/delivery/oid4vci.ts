/**
 * OpenID4VCI wiring: the issuer configuration, the dependencies the protocol handlers need, and
 * what happens when a wallet proves its key (the entitlement is signed for that holder).
 */
import { createHash } from "node:crypto";
import type { IssuanceDeps } from "@haki/openid4vci/server";
import { allowInsecureUrls, type IssuerConfig } from "@haki/openid4vci/metadata";
import { signCredential } from "@haki/credentials/sign";
import type { Cycle, Programme } from "@haki/db";
import type { ServerContext } from "@/server/context";
import { entitlementInput } from "@/server/issuance/entitlement-input";
import { createPrismaOfferStore } from "./prisma-offer-store";
import { createDeliveryRecorder } from "./record-deliveries";

/** The OpenID4VCI issuer configuration from the issuer's own. */
export function issuerConfig(ctx: ServerContext): IssuerConfig {
  allowLocalHttp(ctx);
  return {
    credentialIssuer: ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, ""),
    display: [{ name: ctx.env.HAKI_ISSUER_NAME, locale: "en" }],
    credentialDisplay: [
      { name: "Entitlement", locale: "en" },
      { name: "Droit", locale: "fr" },
      { name: "استحقاق", locale: "ar" },
      { name: "Stahiki", locale: "sw" },
    ],
  };
}

// Plain http only on the machine itself (a developer's laptop, a demo); anywhere else https. The
// switch is process-wide in the @openid4vc libraries, so it is set again on every use.
function allowLocalHttp(ctx: ServerContext): void {
  const url = new URL(ctx.env.HAKI_PUBLIC_URL);
  allowInsecureUrls(url.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname));
}

/**
 * Thrown when a wallet asks for a credential that was revoked or suspended after the offer was
 * made; the protocol layer answers with a server error code and the wallet shows it.
 */
export class EntitlementUnavailableError extends Error {
  readonly code = "ERR_ENTITLEMENT_UNAVAILABLE" as const;
}

/** Cycles (and their programme) whose credentials this instance signed lately. */
const CYCLE_CACHE_SIZE = 64;

const depsOf = new WeakMap<ServerContext, IssuanceDeps>();

/**
 * The handlers' dependencies for this issuer, one set per context: the issuer metadata, the
 * delivery recorder (group commit) and the cycle cache live as long as the process.
 *
 * @example
 * export const POST = (req: Request) => handleTokenRequest(req, issuanceDeps(getServerContext())).then(toResponse);
 */
export function issuanceDeps(ctx: ServerContext): IssuanceDeps {
  let deps = depsOf.get(ctx);
  if (deps) allowLocalHttp(ctx);
  else depsOf.set(ctx, (deps = createIssuanceDeps(ctx)));
  return deps;
}

type EntitlementRow = { id: string; cycleId: string; status: string; statusList: number; statusIndex: number; ref: string; displayName: string | null; area: string | null };

// One joined statement instead of Prisma's include (a query per relation, each through the query
// compiler). Integers come back as bigint from SQLite's driver, hence Number().
async function readEntitlement(ctx: ServerContext, id: string): Promise<EntitlementRow> {
  const [row] = await ctx.db.$queryRaw<EntitlementRow[]>`
    SELECT e."id", e."cycleId", e."status", e."statusList", e."statusIndex", b."ref", b."displayName", b."area"
    FROM "Entitlement" e JOIN "Beneficiary" b ON b."id" = e."beneficiaryId" WHERE e."id" = ${id}`;
  if (!row) throw new EntitlementUnavailableError("This entitlement no longer exists.");
  return { ...row, statusList: Number(row.statusList), statusIndex: Number(row.statusIndex) };
}

function createIssuanceDeps(ctx: ServerContext): IssuanceDeps {
  const record = createDeliveryRecorder(ctx.db, ctx);
  // What a credential says about its cycle and programme never changes once the cycle exists (no
  // code path updates those fields; only the cycle's state moves), so each is read once. The
  // entitlement, whose status and holder do change, is read fresh on every request.
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
  return {
    config: issuerConfig(ctx),
    store: createPrismaOfferStore(ctx.db),
    now: () => ctx.now(),
    maxTxCodeAttempts: 5,
    hashSecret: (secret) => createHash("sha256").update(secret).digest("hex"),
    async issueCredential({ offer, holderDid }) {
      const e = await readEntitlement(ctx, offer.id);
      if (e.status !== "issued") throw new EntitlementUnavailableError(`This entitlement is ${e.status}.`);
      const [cycle, key] = await Promise.all([cycleOf(e.cycleId), ctx.keys.getSigningKey()]);
      const jwt = await signCredential(
        entitlementInput(
          { entitlement: e, cycle, programme: cycle.programme, beneficiary: e },
          { did: key.did, publicUrl: ctx.env.HAKI_PUBLIC_URL, holder: holderDid },
        ),
        key,
      );
      await record({ entitlementId: e.id, holderDid });
      return jwt;
    },
  };
}
