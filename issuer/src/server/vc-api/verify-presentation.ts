/**
 * W3C VC-API `POST /presentations/verify`: a VC 2.0 presentation secured as a `vp+jwt` (a string,
 * or an EnvelopedVerifiablePresentation), with the verifier's `challenge` and `domain`. The holder's
 * signature, the data model, then every credential inside as `/credentials/verify` checks it; an
 * entitlement bound to a holder key must be presented by that holder.
 */
import { z } from "zod";
import { verifyGenericPresentation } from "@haki/credentials/generic";
import type { ServerContext } from "@/server/context";
import { checkAnyCredential, problemOf, type VerifyResponse } from "./verify-credential";
import { vcApiTrustList } from "./trust";

export const VerifyPresentationRequest = z.object({
  verifiablePresentation: z.union([z.string().min(1).max(256_000), z.record(z.string(), z.unknown())]),
  options: z
    .looseObject({
      challenge: z.string().min(1).max(512).optional(),
      domain: z.string().min(1).max(512).optional(),
      now: z.iso.datetime({ offset: true }).optional(),
      checks: z.array(z.string()).optional(),
    })
    .optional(),
});
export type VerifyPresentationRequest = z.infer<typeof VerifyPresentationRequest>;

/**
 * @example
 * const result = await verifyPresentationApi(ctx, { verifiablePresentation: vpJwt, options: { challenge } });
 */
export async function verifyPresentationApi(ctx: ServerContext, req: VerifyPresentationRequest): Promise<Omit<VerifyResponse, "status">> {
  const trust = await vcApiTrustList(ctx);
  const now = req.options?.now ? new Date(req.options.now) : ctx.now();
  const r = await verifyGenericPresentation(req.verifiablePresentation, trust, {
    now,
    ...(req.options?.challenge !== undefined ? { challenge: req.options.challenge } : {}),
    ...(req.options?.domain !== undefined ? { domain: req.options.domain } : {}),
    verifyCredential: (vc) => checkAnyCredential(ctx, vc, trust, now),
  });
  if (!r.valid) return { verified: false, checks: [], warnings: [], errors: [problemOf(r)] };
  return { verified: true, checks: r.checks, warnings: r.warnings, errors: [] };
}
