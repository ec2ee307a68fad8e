/**
 * Bitstring status lists: one revocation and one suspension list per 131,072 entitlements, index
 * for index. A change flips the bit and bumps the list's version; the published credential is
 * re-signed on the next request for a changed list, or for one whose validity no longer covers the
 * programme's offline tolerance (./list-validity.ts), and kept until then.
 */
import { decodeJwt } from "jose";
import { buildStatusListCredential, signStatusListCredential } from "@haki/status-list/credential";
import { createStatusList, statusListFromBytes, setStatus, clearStatus } from "@haki/status-list/bitstring";
import type { Tx } from "@haki/db";
import { processWideMap, resetProcessWideMap } from "@/server/lib/process-wide";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { STATUS_LIST_SIZE, statusListUrl } from "@/server/issuance/entitlement-input";
import { coversTolerance, nextIssuedAt, statusListValidity, STATUS_LIST_TTL_MS } from "./list-validity";

export { STATUS_LIST_TTL_MS };
export type StatusPurpose = "revocation" | "suspension";

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

type Signed = { jwt: string; etag: string; version: number };
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
const etagOf = (id: string, version: number, jwt: string) => `"${id}-v${version}-${decodeJwt(jwt).iat ?? 0}"`;

/**
 * The signed status list credential (VC-JWT) for a list, signing it first if it changed since it
 * was last signed or its validity no longer covers the offline tolerance. Served from memory when
 * this process signed or read it less than STATUS_CACHE_RECHECK_MS ago; otherwise one small read of
 * the list's version decides whether the cached copy is still the current one.
 *
 * @example
 * const { jwt, etag } = await getStatusListCredential(ctx, 1, "revocation");
 */
export async function getStatusListCredential(ctx: ServerContext, list: number, purpose: StatusPurpose): Promise<Signed> {
  if (!Number.isSafeInteger(list) || list < 1) throw new ApiError("ERR_NOT_FOUND", "No such status list.");
  const id = listId(list, purpose);
  const cache = processWideMap<Cached>(SIGNED, ctx);
  const hit = cache.get(id);
  const nowMs = ctx.now().getTime();
  const usable = (c: Cached | undefined): c is Cached => Boolean(c) && coversTolerance(c!.expMs, nowMs, ctx.env);
  if (usable(hit) && Date.now() - hit.checkedAt < STATUS_CACHE_RECHECK_MS) return hit;

  const head = await ctx.db.statusList.findUnique({ where: { id }, select: { version: true } });
  if (head && usable(hit) && head.version === hit.version) {
    hit.checkedAt = Date.now();
    return hit;
  }
  if (!head && list > (await listsInUse(ctx))) throw new ApiError("ERR_NOT_FOUND", "No such status list.");

  // One signature per list version even when a hundred fetches arrive together.
  const inflight = processWideMap<Promise<Signed>>(SIGNING, ctx);
  const key = `${id}@${head?.version ?? 0}`;
  let pending = inflight.get(key);
  if (!pending) {
    pending = signCurrent(ctx, list, purpose).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  const signed = await pending;
  const expMs = (decodeJwt(signed.jwt).exp ?? 0) * 1000;
  const current = cache.get(id);
  if (!current || current.version <= signed.version) cache.set(id, { ...signed, expMs, checkedAt: Date.now() });
  return signed;
}

/** Attempts at storing a new signature while other instances sign or change the same list. */
const SIGN_ATTEMPTS = 4;

async function signCurrent(ctx: ServerContext, list: number, purpose: StatusPurpose): Promise<Signed> {
  for (let attempt = 0; attempt < SIGN_ATTEMPTS; attempt++) {
    const found = await ctx.db.statusList.findUnique({ where: { id: listId(list, purpose) } });
    const row = found ?? (await ctx.db.$transaction((tx) => ensureList(tx, list, purpose)));
    const now = ctx.now();
    const fresh =
      row.credential &&
      row.signedVersion === row.version &&
      coversTolerance((decodeJwt(row.credential).exp ?? 0) * 1000, now.getTime(), ctx.env);
    if (fresh) return { jwt: row.credential!, etag: etagOf(row.id, row.version, row.credential!), version: row.version };

    const key = await ctx.keys.getSigningKey();
    const issuedAt = nextIssuedAt(row.credential, now);
    const payload = buildStatusListCredential({
      url: statusListUrl(ctx.env.HAKI_PUBLIC_URL, list, purpose),
      issuer: key.did,
      purpose,
      list: statusListFromBytes(new Uint8Array(row.bits)),
      issuedAt,
      validUntil: new Date(issuedAt.getTime() + statusListValidity(ctx.env).validForMs),
      ttlMs: STATUS_LIST_TTL_MS,
    });
    const jwt = await signStatusListCredential(payload, key.privateKey, { kid: key.kid });
    // Serve only what was stored over the signature it was built on: then every copy a device can
    // see has a later iat than the one before it, and a replayed older copy is recognisable.
    const { count } = await ctx.db.statusList.updateMany({
      where: { id: row.id, version: row.version, credential: row.credential },
      data: { credential: jwt, signedVersion: row.version },
    });
    if (count === 1) return { jwt, etag: etagOf(row.id, row.version, jwt), version: row.version };
  }
  throw new ApiError("ERR_CONFLICT", "This status list is changing right now; fetch it again.");
}

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
