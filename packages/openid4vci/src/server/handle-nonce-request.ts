/** The nonce endpoint (OpenID4VCI 1.0 section 7). */
import { Openid4vciIssuer } from "@openid4vc/openid4vci";
import { serverCallbacks } from "../lib/callbacks";
import { nonceServiceOf } from "./cached-config";
import type { HandlerResponse, IssuanceDeps } from "./deps";
import { requireMethod } from "./read-request";
import { guard, ok } from "./respond";

/**
 * `POST <nonce endpoint>` (OpenID4VCI 1.0 section 7): a fresh single-use c_nonce for the holder's
 * key proof, `{ "c_nonce": "..." }`, never cached (`Cache-Control: no-store`).
 * @example
 * export async function POST(req: Request) { return toResponse(await handleNonceRequest(req, deps)); }
 */
export function handleNonceRequest(request: Request, deps: Pick<IssuanceDeps, "store" | "now" | "nonces" | "nonceTtlSeconds" | "hashSecret">): Promise<HandlerResponse> {
  return guard(async () => {
    requireMethod(request, "POST");
    const nonce = await nonceServiceOf(deps).create(deps.now?.() ?? new Date());
    return ok(new Openid4vciIssuer({ callbacks: serverCallbacks }).createNonceResponse({ cNonce: nonce }));
  });
}
