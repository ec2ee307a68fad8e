/**
 * What a wallet may learn about its own cards: their state (with the reason as a code and whom to
 * contact), what is left after the hand-overs the office has receipts for, and those hand-overs.
 * The request is signed by the holder key the cards were issued to, fresh, and used once; cards
 * bound to another key (or not existing) are simply left out of the answer.
 */
import { CardStateError } from "@haki/card-state/errors";
import { CARD_STATE_MAX_AGE_SECONDS, verifyCardStateRequest, type CardStateRequest } from "@haki/card-state/request";
import { STATE_REASONS, type CardState, type CardStateResponse } from "@haki/card-state/response";
import { benefitTotal } from "@haki/redemption/ledger";
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { readAreaNames } from "@/server/areas/read-area-names";
import { benefitOf } from "@/server/issuance/entitlement-input";
import { sha256Hex } from "@/server/lib/hash";
import { describeStatusReason } from "@/server/status/status-reasons";

export const CardStateBody = z.object({ request: z.string().min(1).max(10_000) });

const STATUS: Record<string, CardState["status"] | undefined> = { issued: "active", suspended: "suspended", revoked: "revoked" };
const ID = /^urn:uuid:([0-9a-f-]{36})$/;
const round = (n: number) => Math.round(n * 1e6) / 1e6;

async function checkRequest(ctx: ServerContext, jws: string): Promise<CardStateRequest> {
  let claims: CardStateRequest;
  try {
    claims = await verifyCardStateRequest(jws, { audience: ctx.env.HAKI_PUBLIC_URL, now: ctx.now() });
  } catch (e) {
    if (!(e instanceof CardStateError)) throw e;
    const code = e.code === "ERR_CARD_STATE_REQUEST_INVALID" ? "ERR_BAD_REQUEST" : "ERR_FORBIDDEN";
    throw new ApiError(code, e.message, { cause: e, details: { reason: e.code } });
  }
  // One use per request: its id is remembered until it is too old to be accepted anyway.
  const expiresAt = new Date((claims.iat + 2 * CARD_STATE_MAX_AGE_SECONDS) * 1000);
  try {
    await ctx.db.nonce.create({ data: { hash: sha256Hex(`card-state:${claims.jti}`), expiresAt, usedAt: ctx.now() } });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") throw new ApiError("ERR_FORBIDDEN", "This request was already used; make a new one.", { details: { reason: "ERR_CARD_STATE_REPLAYED" } });
    throw e;
  }
  return claims;
}

/**
 * @example
 * const answer = await readCardState(ctx, await request.json()); // { checkedAt, cards: [...] }
 */
export async function readCardState(ctx: ServerContext, input: unknown): Promise<CardStateResponse> {
  const { request } = CardStateBody.parse(input);
  const claims = await checkRequest(ctx, request);
  const ids = claims.credentials.flatMap((c) => ID.exec(c)?.[1] ?? []);
  const rows = ids.length
    ? await ctx.db.entitlement.findMany({
        where: { id: { in: ids }, holderDid: claims.iss },
        include: { cycle: { include: { programme: true } }, beneficiary: true, receipts: { orderBy: { redeemedAt: "asc" } } },
      })
    : [];
  const pointIds = rows.flatMap((r) => r.receipts.map((x) => x.servicePoint));
  const points = new Map((await ctx.db.servicePoint.findMany({ where: { id: { in: [...new Set(pointIds)] } } })).map((p) => [p.id, p]));
  const areaCodes = [...rows.flatMap((r) => [r.beneficiary.area ?? r.cycle.programme.area ?? ""]), ...[...points.values()].map((p) => p.area ?? "")];
  const areas = await readAreaNames(ctx, areaCodes.filter(Boolean));

  const cards: CardState[] = [];
  for (const e of rows) {
    const status = STATUS[e.status];
    if (!status) continue;
    const programme = e.cycle.programme;
    const benefit = benefitOf(programme, e.cycle);
    const total = benefitTotal(benefit);
    const handOvers = e.receipts.map((r) => {
      const point = points.get(r.servicePoint);
      const place = point?.area ? areas.get(point.area) : undefined;
      return {
        at: r.redeemedAt.toISOString(),
        servicePoint: point?.name ?? r.servicePoint,
        ...(place ? { place } : {}),
        amount: Number(r.quantity ?? r.amount ?? (benefit.type === "Voucher" && benefit.amount === undefined ? 1 : 0)),
      };
    });
    const used = programme.redemption === "single" && handOvers.length > 0 ? total : handOvers.reduce((a, h) => a + h.amount, 0);
    const reason = status === "active" || !e.statusReason ? undefined : describeStatusReason(e.statusReason).code;
    const areaCode = e.beneficiary.area ?? programme.area;
    const areaName = areaCode ? areas.get(areaCode) : undefined;
    cards.push({
      id: `urn:uuid:${e.id}`,
      status,
      ...(reason && (STATE_REASONS as readonly string[]).includes(reason) ? { reason: reason as CardState["reason"] } : {}),
      ...(status !== "active" && e.statusChangedAt ? { changedAt: e.statusChangedAt.toISOString() } : {}),
      programme: { id: programme.code, name: programme.name, ...(programme.contact ? { contact: programme.contact } : {}) },
      ...(areaCode && areaName ? { area: { code: areaCode, name: areaName } } : {}),
      benefit,
      total,
      left: Math.max(0, round(total - used)),
      handOvers,
    });
  }
  return { checkedAt: ctx.now().toISOString(), cards };
}
