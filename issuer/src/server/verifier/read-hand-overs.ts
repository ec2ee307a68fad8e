/**
 * The hand-over feed (issue 12, relay): what other devices handed over, for the programmes the
 * asking device's service point serves, so its books follow the issuer's (`@haki/redemption/
 * hand-over-feed`). Authenticated like the binding keys: a short-lived proof signed by the
 * device's enrolled key for this route's URL. A revoked device is refused (ERR_DEVICE_REVOKED),
 * an unknown key or a bad proof too (ERR_FORBIDDEN), a switched-off service point as well.
 *
 * Paged by a cursor, the time the last receipt served was received. Receipts received in the last few seconds
 * wait for the next call: two receipts stored at the same moment by two instances commit in any
 * order, and a cursor already past one still being written would skip it for good.
 */
import { decodeJwt, type JWK } from "jose";
import type { Prisma } from "@haki/db";
import { verifyRelayOpening } from "@haki/openid4vp/relay-auth";
import { FEED_PAGE_DEFAULT, type FeedHandOver, type HandOverFeedRequest, type HandOverFeedResponse } from "@haki/redemption/hand-over-feed";
import { Receipt } from "@haki/redemption/receipts";
import { ISSUER_ENDPOINTS, PublicJwk } from "@haki/redemption/setup";
import { ApiError } from "@/server/api/errors";
import type { ServerContext } from "@/server/context";
import { readJsonColumn, readStoredValue } from "@/server/lib/json-column";
import { readServicePointProgrammes } from "./service-points";

/** How long a receipt waits before the feed serves it (the commit-order margin above). */
export const FEED_SETTLE_MS = 5_000;

/**
 * One page of the feed for the device that signed `req.proof`.
 *
 * @example
 * const page = await readHandOverFeed(ctx, await readJson(request, HandOverFeedRequest));
 */
export async function readHandOverFeed(ctx: ServerContext, req: HandOverFeedRequest): Promise<HandOverFeedResponse> {
  const device = await authenticateDevice(ctx, req.proof);
  const programmes = readServicePointProgrammes(device.servicePoint);
  const after = req.cursor ? new Date(Number(req.cursor)) : undefined;
  const limit = req.limit ?? FEED_PAGE_DEFAULT;
  const settled = new Date(ctx.now().getTime() - FEED_SETTLE_MS);
  // One range read per programme on the (programme, receivedAt, id) index, merged: each read is
  // bounded by the page size, whatever the other programmes and devices did meanwhile.
  const read = async (receivedAt: Prisma.DateTimeFilter, take?: number) =>
    (
      await Promise.all(
        programmes.map((programme) =>
          ctx.db.receipt.findMany({
            where: { programme, device: { not: device.id }, receivedAt },
            orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
            ...(take ? { take } : {}),
            select: { id: true, receivedAt: true, jws: true, entitlement: { select: { cycle: { select: { amount: true, quantity: true } } } } },
          }),
        ),
      )
    )
      .flat()
      .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  const rows = await read({ lte: settled, ...(after ? { gt: after } : {}) }, limit + 1);
  // The cursor is a moment: a page ends between two moments, never inside one (a batch synced at
  // once shares its moment), so no receipt is skipped whatever order ids sort in.
  let page = rows;
  const more = rows.length > limit;
  if (more) {
    const cut = rows[limit]!.receivedAt.getTime();
    page = rows.filter((r) => r.receivedAt.getTime() < cut);
    // One moment holding more than a page (batches of 100 from several devices): served whole.
    if (page.length === 0) page = await read({ equals: rows[0]!.receivedAt });
  }
  await ctx.db.device.update({ where: { id: device.id }, data: { lastSeenAt: ctx.now() } });
  const last = page.at(-1);
  return {
    handOvers: page.map(toFeedItem),
    ...(last ? { cursor: String(last.receivedAt.getTime()) } : req.cursor ? { cursor: req.cursor } : {}),
    more,
  };
}

async function authenticateDevice(ctx: ServerContext, proof: string) {
  const audience = `${ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, "")}${ISSUER_ENDPOINTS.handOvers}`;
  // The signature is checked with the key even of a revoked device, so only that device is told.
  const keyOf = async (id: string): Promise<JWK | undefined> => {
    const d = await ctx.db.device.findUnique({ where: { id }, select: { publicJwk: true } });
    return d ? readJsonColumn(PublicJwk, d.publicJwk, "Device.publicJwk") : undefined;
  };
  let deviceId: string;
  try {
    deviceId = await verifyRelayOpening(proof, keyOf, audience, ctx.now());
  } catch (cause) {
    throw new ApiError("ERR_FORBIDDEN", "This device is not enrolled here.", { cause });
  }
  const device = await ctx.db.device.findUniqueOrThrow({ where: { id: deviceId }, include: { servicePoint: true } });
  if (device.revokedAt) throw new ApiError("ERR_DEVICE_REVOKED", `This device was revoked on ${device.revokedAt.toISOString().slice(0, 10)}.`);
  if (device.servicePoint.disabledAt) throw new ApiError("ERR_FORBIDDEN", "This service point was switched off.");
  return device;
}

type FeedRow = { id: string; jws: string; entitlement: { cycle: { amount: string | null; quantity: string | null } } | null };

/** A stored receipt (verified when it came in) as the feed serves it: no name, device or place. */
function toFeedItem(row: FeedRow): FeedHandOver {
  const r = readStoredValue(Receipt, () => decodeJwt(row.jws), "Receipt.jws");
  const h = r.handedOver;
  const amount = h.type === "InKind" ? h.quantity : (h.amount ?? 1);
  // Our own entitlements: the cycle's amount. Another issuer's card: what its receipt implies.
  const cycle = row.entitlement?.cycle;
  const fromCycle = Number(cycle?.quantity ?? cycle?.amount ?? NaN);
  const total = Number.isFinite(fromCycle) ? fromCycle : amount + r.remaining;
  return {
    receipt: r.id,
    entitlement: r.entitlement,
    ...(r.credential ? { credential: r.credential } : {}),
    redemption: r.redemption,
    amount,
    total,
    at: r.at,
  };
}
