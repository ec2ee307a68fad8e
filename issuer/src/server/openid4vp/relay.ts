/**
 * The OpenID4VP relay on the issuer: a verifier PWA cannot receive the wallet's POST, so the issuer
 * keeps, per request, the public request object and the wallet's answer as ciphertext (the verifier
 * device holds the only key). Bounded: only enrolled devices open requests (at most
 * `MAX_OPEN_PER_DEVICE` waiting each, `MAX_OPEN_TOTAL` in all), records expire after
 * `RELAY_TTL_SECONDS` and are swept when a request is opened, bodies are capped, and the anonymous
 * endpoints are rate limited per address.
 */
import { z } from "zod";
import { createRelay, type OpenedRequest, type Relay } from "@haki/openid4vp/relay";
import { verifyRelayOpening } from "@haki/openid4vp/relay-auth";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { deviceKey } from "@/server/verifier/devices";
import { createPrismaRelayStore } from "./prisma-relay-store";

export const RELAY_TTL_SECONDS = 300;
export const RELAY_MAX_BODY_BYTES = 64 * 1024;
export const MAX_OPEN_PER_DEVICE = 20;
export const MAX_OPEN_TOTAL = 10_000;
/** Per client address and minute: wallets fetching requests and posting answers, devices polling. */
export const RELAY_RATE_LIMITS = {
  open: { limit: 30, windowMs: 60_000 },
  fetch: { limit: 60, windowMs: 60_000 },
  answer: { limit: 20, windowMs: 60_000 },
  collect: { limit: 120, windowMs: 60_000 },
} as const;

/** The public base URL of the relay routes. */
export const relayBaseUrl = (ctx: ServerContext): string => `${ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, "")}/api/openid4vp`;

/**
 * @example
 * await relayFor(ctx).acceptAnswer(id, await request.text());
 */
export function relayFor(ctx: ServerContext): Relay {
  return createRelay(createPrismaRelayStore(ctx.db), {
    baseUrl: relayBaseUrl(ctx),
    ttlSeconds: RELAY_TTL_SECONDS,
    maxBodyBytes: RELAY_MAX_BODY_BYTES,
    now: () => ctx.now().getTime(),
  });
}

export const OpenRelayBody = z.object({ proof: z.string().min(1).max(4_000) });
export const PublishRequestBody = z.object({
  transactionId: z.string().min(16).max(128),
  requestObject: z.string().min(1).max(RELAY_MAX_BODY_BYTES),
  encryptionKid: z.string().min(1).max(128).optional(),
});
export const CollectAnswerBody = z.object({ transactionId: z.string().min(16).max(128) });

/**
 * An enrolled device opens a request: expired records are swept first, then the caps checked.
 *
 * @example
 * const opened = await openRelayRequest(ctx, { proof: await signRelayOpening(device, `${base}/requests`) });
 */
export async function openRelayRequest(ctx: ServerContext, body: z.infer<typeof OpenRelayBody>): Promise<OpenedRequest> {
  const deviceId = await verifyRelayOpening(body.proof, (id) => deviceKey(ctx, id), `${relayBaseUrl(ctx)}/requests`, ctx.now());
  const relay = relayFor(ctx);
  await relay.sweep();
  if ((await ctx.db.openid4vpRelay.count({ where: { openedBy: deviceId } })) >= MAX_OPEN_PER_DEVICE) {
    throw new ApiError("ERR_TOO_MANY_ATTEMPTS", `This device already has ${MAX_OPEN_PER_DEVICE} requests waiting; let them finish or expire.`);
  }
  if ((await ctx.db.openid4vpRelay.count()) >= MAX_OPEN_TOTAL) {
    throw new ApiError("ERR_TOO_MANY_ATTEMPTS", "The relay is busy; try again in a few minutes.");
  }
  return relay.openRequest({ openedBy: deviceId });
}
