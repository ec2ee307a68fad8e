/**
 * Bitstring status lists: one revocation and one suspension list per 131,072 entitlements, index
 * for index, and beside each pair the IETF Token Status List (2 bits: valid / revoked / suspended)
 * that SD-JWT VCs point at. A change flips a bit and bumps the list's version; the three published
 * artefacts of the pair (two Bitstring Status List credentials and the Status List Token) are
 * signed together, from one read of the bits, on the next request for any of them after a change,
 * or once their validity no longer covers the programme's offline tolerance (./list-validity.ts),
 * and kept until then. They share their `iat` and `exp`.
 */
import { decodeJwt } from "jose";
import { buildStatusListCredential, signStatusListCredential } from "@haki/status-list/credential";
import { createStatusList, statusListFromBytes, setStatus, clearStatus } from "@haki/status-list/bitstring";
import { buildStatusListToken, signStatusListToken, tokenStatusListFromBitstrings } from "@haki/status-list/token";
import type { Tx } from "@haki/db";
import { processWideMap, resetProcessWideMap } from "@/server/lib/process-wide";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { STATUS_LIST_SIZE, statusListUrl, statusTokenUrl } from "@/server/issuance/entitlement-input";
import { coversTolerance, nextIssuedAt, statusListValidity, STATUS_LIST_TTL_MS } from "./list-validity";

export { STATUS_LIST_TTL_MS };
export type StatusPurpose = "revocation" | "suspension";
/** What is published per pair of lists: the two Bitstring lists and their Token Status List. */
export type StatusArtefact = StatusPurpose | "token";
const listId = (list: number, purpose: StatusPurpose) => `${list}-${purpose}`;

/** The highest list number in use (0 when nothing has been issued). */
async function listsInUse(ctx: ServerContext): Promise<number> {
  const c = await ctx.db.counter.findUnique({ where: { name: "status-index" } });
  return c && c.value > 0 ? Math.floor((c.value - 1) / STATUS_LIST_SIZE) + 1 : 0;
}

/**
 * Creates the list's row if it does not exist yet (inside the caller's transaction).
 *
 * @example
 * await db.$transaction((tx) => ensureStatusList(tx, 1, "revocation"));
 */
export async function ensureStatusList(tx: Tx, list: number, purpose: StatusPurpose) {
  const id = listId(list, purpose);
  const found = await tx.statusList.findUnique({ where: { id } });
  if (found) return found;
  const empty = createStatusList(STATUS_LIST_SIZE);
  return tx.statusList.upsert({ where: { id }, create: { id, list, purpose, size: STATUS_LIST_SIZE, bits: new Uint8Array(empty.bytes) }, update: {} });
}
const ensureList = ensureStatusList;

/**
 * How long a process serves its cached signed list without asking the database whether the list
 * changed. Changes made by this process drop the cache at once; changes made by another issuer
 * instance show after at most this long (verifiers cache lists for minutes anyway).
 */
export const STATUS_CACHE_RECHECK_MS = 1_000;

/** `version`: the list's version (a Bitstring list), or "<revocation>.<suspension>" (the token). */
type Signed = { jwt: string; etag: string; version: string };
type Published = Record<StatusArtefact, Signed>;
type Cached = Signed & { expMs: number; checkedAt: number };
// Process-wide (see process-wide.ts): a revocation made by a console action drops the copy the
// status route serves from at once.
const SIGNED = "status-lists.signed";
const SIGNING = "status-lists.signing";

/**
 * Drops this process's cached signed lists, so the next fetch checks the database (call after a
 * status change commits).
 *
 * @example
 * forgetStatusListCredentials(ctx);
 */
export function forgetStatusListCredentials(ctx: ServerContext): void {
  // A fresh map, not clear(): a fetch that began before the change writes into the old one.
  resetProcessWideMap(SIGNED, ctx);
}

/** Changes with every signature (a re-signed list is a new representation), not only with the bits. */
const etagOf = (id: string, version: string, jwt: string) => `"${id}-v${version}-${decodeJwt(jwt).iat ?? 0}"`;
const cacheKey = (list: number, artefact: StatusArtefact) => `${list}-${artefact}`;
const tokenVersion = (revocation: number, suspension: number) => `${revocation}.${suspension}`;

/** The current versions of a pair's three artefacts, in one small read; null: no row yet. */
async function currentVersions(ctx: ServerContext, list: number): Promise<Record<StatusArtefact, string> | null> {
  const rows = await ctx.db.statusList.findMany({ where: { list }, select: { purpose: true, version: true } });
  if (rows.length === 0) return null;
  const v = (p: StatusPurpose) => rows.find((r) => r.purpose === p)?.version ?? 0;
  return { revocation: String(v("revocation")), suspension: String(v("suspension")), token: tokenVersion(v("revocation"), v("suspension")) };
}

/**
 * A signed status artefact of a list pair: a Bitstring Status List credential (VC-JWT) for
 * `revocation` / `suspension`, the Status List Token (`statuslist+jwt`) for `token`. The three are
 * signed together (see above) when one of them changed since they were last signed or no longer
 * covers the offline tolerance. Served from memory when this process signed or read it less than
 * STATUS_CACHE_RECHECK_MS ago; otherwise one small read of the pair's versions decides whether the
 * cached copy is still the current one.
 *
 * @example
 * const { jwt, etag } = await getStatusListCredential(ctx, 1, "revocation");
 * const token = await getStatusListCredential(ctx, 1, "token");
 */
export async function getStatusListCredential(ctx: ServerContext, list: number, artefact: StatusArtefact): Promise<Signed> {
  if (!Number.isSafeInteger(list) || list < 1) throw new ApiError("ERR_NOT_FOUND", "No such status list.");
  const cache = processWideMap<Cached>(SIGNED, ctx);
  const hit = cache.get(cacheKey(list, artefact));
  const nowMs = ctx.now().getTime();
  const usable = (c: Cached | undefined): c is Cached => Boolean(c) && coversTolerance(c!.expMs, nowMs, ctx.env);
  if (usable(hit) && Date.now() - hit.checkedAt < STATUS_CACHE_RECHECK_MS) return hit;

  const versions = await currentVersions(ctx, list);
  if (versions && usable(hit) && versions[artefact] === hit.version) {
    hit.checkedAt = Date.now();
    return hit;
  }
  if (!versions && list > (await listsInUse(ctx))) throw new ApiError("ERR_NOT_FOUND", "No such status list.");

  // One signing per pair version even when a hundred fetches arrive together.
  const inflight = processWideMap<Promise<Published>>(SIGNING, ctx);
  const key = `${list}@${versions?.token ?? "new"}`;
  let pending = inflight.get(key);
  if (!pending) {
    pending = publishCurrent(ctx, list).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  const published = await pending;
  for (const a of ["revocation", "suspension", "token"] as const) {
    const signed = published[a];
    const expMs = (decodeJwt(signed.jwt).exp ?? 0) * 1000;
    const current = cache.get(cacheKey(list, a));
    if (!current || current.version !== signed.version || current.jwt !== signed.jwt) cache.set(cacheKey(list, a), { ...signed, expMs, checkedAt: Date.now() });
  }
  return published[artefact];
}

/** Attempts at storing new signatures while other instances sign or change the same lists. */
const SIGN_ATTEMPTS = 4;

/** A stored signature still current: made from this version and covering the tolerance. */
function stillCurrent(ctx: ServerContext, jwt: string | null | undefined, signedFrom: boolean, nowMs: number): jwt is string {
  return Boolean(jwt) && signedFrom && coversTolerance((decodeJwt(jwt!).exp ?? 0) * 1000, nowMs, ctx.env);
}

/** Brings a pair's three artefacts up to date (signing all three when any is out of date). */
async function publishCurrent(ctx: ServerContext, list: number): Promise<Published> {
  for (let attempt = 0; attempt < SIGN_ATTEMPTS; attempt++) {
    const [revocation, suspension] = await ctx.db.$transaction(async (tx) => [await ensureList(tx, list, "revocation"), await ensureList(tx, list, "suspension")]);
    const token = await ctx.db.statusListToken.findUnique({ where: { list } });
    const now = ctx.now();
    const tv = tokenVersion(revocation.version, suspension.version);
    const fresh =
      stillCurrent(ctx, revocation.credential, revocation.signedVersion === revocation.version, now.getTime()) &&
      stillCurrent(ctx, suspension.credential, suspension.signedVersion === suspension.version, now.getTime()) &&
      stillCurrent(ctx, token?.token, token?.revocationVersion === revocation.version && token?.suspensionVersion === suspension.version, now.getTime());
    if (fresh) {
      return {
        revocation: { jwt: revocation.credential!, etag: etagOf(revocation.id, String(revocation.version), revocation.credential!), version: String(revocation.version) },
        suspension: { jwt: suspension.credential!, etag: etagOf(suspension.id, String(suspension.version), suspension.credential!), version: String(suspension.version) },
        token: { jwt: token!.token, etag: etagOf(`${list}-token`, tv, token!.token), version: tv },
      };
    }

    const key = await ctx.keys.getSigningKey();
    // One iat for the three, later than each one's last (devices refuse an older copy replayed).
    const issuedAt = new Date(Math.max(...[revocation.credential, suspension.credential, token?.token ?? null].map((j) => nextIssuedAt(j, now).getTime())));
    const validUntil = new Date(issuedAt.getTime() + statusListValidity(ctx.env).validForMs);
    const bits = { revocation: statusListFromBytes(new Uint8Array(revocation.bits)), suspension: statusListFromBytes(new Uint8Array(suspension.bits)) };
    const signBitstring = (purpose: StatusPurpose) =>
      signStatusListCredential(
        buildStatusListCredential({ url: statusListUrl(ctx.env.HAKI_PUBLIC_URL, list, purpose), issuer: key.did, purpose, list: bits[purpose], issuedAt, validUntil, ttlMs: STATUS_LIST_TTL_MS }),
        key.privateKey,
        { kid: key.kid },
      );
    const tokenJwt = await signStatusListToken(
      buildStatusListToken({
        uri: statusTokenUrl(ctx.env.HAKI_PUBLIC_URL, list),
        issuer: ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, ""),
        list: tokenStatusListFromBitstrings(bits),
        issuedAt,
        validUntil,
        ttlSeconds: STATUS_LIST_TTL_MS / 1000,
      }),
      key,
    );
    const [revocationJwt, suspensionJwt] = await Promise.all([signBitstring("revocation"), signBitstring("suspension")]);
    // Stored only over the signatures and versions they were built on, all three or none: then
    // every copy a device can see has a later iat than the one before it, and the three always
    // describe the same bits.
    const stored = await ctx.db
      .$transaction(async (tx) => {
        for (const [row, jwt] of [
          [revocation, revocationJwt],
          [suspension, suspensionJwt],
        ] as const) {
          const { count } = await tx.statusList.updateMany({ where: { id: row.id, version: row.version, credential: row.credential }, data: { credential: jwt, signedVersion: row.version } });
          if (count !== 1) throw new LostRace();
        }
        const data = { revocationVersion: revocation.version, suspensionVersion: suspension.version, token: tokenJwt };
        if (token) {
          const { count } = await tx.statusListToken.updateMany({ where: { list, token: token.token }, data });
          if (count !== 1) throw new LostRace();
        } else await tx.statusListToken.create({ data: { list, ...data } });
        return true;
      })
      .catch((e: unknown) => {
        if (e instanceof LostRace || isUniqueViolation(e)) return false;
        throw e;
      });
    if (stored) {
      return {
        revocation: { jwt: revocationJwt, etag: etagOf(revocation.id, String(revocation.version), revocationJwt), version: String(revocation.version) },
        suspension: { jwt: suspensionJwt, etag: etagOf(suspension.id, String(suspension.version), suspensionJwt), version: String(suspension.version) },
        token: { jwt: tokenJwt, etag: etagOf(`${list}-token`, tv, tokenJwt), version: tv },
      };
    }
  }
  throw new ApiError("ERR_CONFLICT", "This status list is changing right now; fetch it again.");
}

class LostRace extends Error {}
const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === "P2002";

/**
 * Sets or clears one bit inside the caller's transaction. Bumping the version first locks the row
 * (PostgreSQL) or takes the write lock (SQLite), so concurrent changes never lose each other's bits.
 */
export async function writeStatusBit(tx: Tx, list: number, index: number, purpose: StatusPurpose, value: boolean): Promise<void> {
  await ensureList(tx, list, purpose);
  const row = await tx.statusList.update({ where: { id: listId(list, purpose) }, data: { version: { increment: 1 } } });
  const current = statusListFromBytes(new Uint8Array(row.bits));
  const next = value ? setStatus(current, index) : clearStatus(current, index);
  await tx.statusList.update({ where: { id: row.id }, data: { bits: new Uint8Array(next.bytes) } });
}
