/**
 * W3C VC-API `POST /credentials/issue`: `{ credential, options }` in, `{ verifiableCredential }` out
 * as an EnvelopedVerifiableCredential (`data:application/vc+jwt,...`, VC 2.0 secured with
 * VC-JOSE-COSE). Two kinds of request:
 * - an entitlement (`credentialSubject` names `beneficiary`, `programme`, `cycle`, optionally the
 *   holder `id`; scope `issue` or `issue:any`): the credential of an entitlement that went through
 *   its approved cycle, everything it says read from the issuer's records, so the API cannot bypass
 *   four-eyes approval;
 * - any other VC 2.0 credential (scope `issue:any`): checked against the data model (any subject
 *   ids, several subjects, inline context objects, the contexts this issuer holds), signed as this
 *   issuer (its DID replaces whatever `issuer.id` the request named).
 */
import { z } from "zod";
import { BeneficiaryRef, HolderDid, W3C_CREDENTIALS_V2 } from "@haki/credentials/model";
import { DataModelInputError, signGenericCredential } from "@haki/credentials/generic";
import { VC_JWT_DATA_URL_PREFIX } from "@haki/credentials/presentation";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import type { ApiScope } from "@/server/auth/api-tokens";
import { createEntitlementSigners, EntitlementUnavailableError } from "@/server/delivery/sign-entitlement";

const Code = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);

export const IssueRequest = z.object({
  credential: z.record(z.string(), z.unknown()),
  options: z.record(z.string(), z.unknown()).optional(),
});
export type IssueRequest = z.infer<typeof IssueRequest>;

const EntitlementRequest = z.object({
  issuer: z.union([z.string(), z.object({ id: z.string() })]).optional(),
  credentialSubject: z.object({
    id: HolderDid.optional(),
    beneficiary: BeneficiaryRef,
    programme: z.union([Code, z.object({ id: Code })]),
    cycle: Code,
  }),
});

/** An EnvelopedVerifiableCredential holding a `vc+jwt` (VCDM 2.0 4.13.1). */
export interface EnvelopedCredential {
  "@context": string[];
  id: string;
  type: "EnvelopedVerifiableCredential";
}
const envelope = (jwt: string): EnvelopedCredential => ({ "@context": [W3C_CREDENTIALS_V2], id: `${VC_JWT_DATA_URL_PREFIX}${jwt}`, type: "EnvelopedVerifiableCredential" });

/** True when the request names an entitlement (a beneficiary in a programme's cycle). */
function isEntitlementRequest(credential: Record<string, unknown>): boolean {
  const s = credential.credentialSubject;
  return typeof s === "object" && s !== null && !Array.isArray(s) && "beneficiary" in s && "cycle" in s && "programme" in s;
}

/**
 * @example
 * const { verifiableCredential } = await issueCredentialApi(ctx, body, { id: token.id, scopes: ["issue:any"] });
 */
export async function issueCredentialApi(
  ctx: ServerContext,
  { credential }: IssueRequest,
  caller: { id: string; name: string; scopes: readonly ApiScope[] },
): Promise<{ verifiableCredential: EnvelopedCredential }> {
  if (isEntitlementRequest(credential)) return { verifiableCredential: envelope(await issueEntitlement(ctx, EntitlementRequest.parse(credential), caller)) };
  if (!caller.scopes.includes("issue:any")) throw new ApiError("ERR_FORBIDDEN", "This API token issues entitlements only; issuing any other credential needs the issue:any scope.");
  const key = await ctx.keys.getSigningKey();
  let signed;
  try {
    signed = await signGenericCredential(credential, key);
  } catch (e) {
    if (e instanceof DataModelInputError) throw new ApiError("ERR_BAD_REQUEST", e.message, { cause: e, details: { issues: e.issues } });
    throw e;
  }
  const types = Array.isArray(signed.credential.type) ? signed.credential.type : [signed.credential.type];
  await ctx.db.$transaction((tx) =>
    appendAuditEvent(tx, ctx, { actorId: null, action: "credential.issue_any", subject: null, details: { token: caller.id, types } }),
  );
  return { verifiableCredential: envelope(signed.jwt) };
}

async function issueEntitlement(ctx: ServerContext, credential: z.infer<typeof EntitlementRequest>, caller: { id: string }): Promise<string> {
  const issuer = typeof credential.issuer === "string" ? credential.issuer : credential.issuer?.id;
  if (issuer && issuer !== ctx.did) throw new ApiError("ERR_BAD_REQUEST", `This issuer signs entitlements only as ${ctx.did}.`);
  const s = credential.credentialSubject;
  const programmeCode = typeof s.programme === "string" ? s.programme : s.programme.id;
  const e = await ctx.db.entitlement.findFirst({
    where: { beneficiary: { ref: s.beneficiary }, cycle: { code: s.cycle, programme: { code: programmeCode } } },
    select: { id: true, status: true },
  });
  if (!e) throw new ApiError("ERR_NOT_FOUND", "No entitlement for this beneficiary in this programme cycle.");
  if (e.status !== "issued") throw new ApiError("ERR_INVALID_STATE", `This entitlement is ${e.status}.`);
  let jwt: string;
  try {
    // The VC-API answers VC 2.0 whatever the cycle's format (the enveloped form is for vc+jwt).
    jwt = await createEntitlementSigners(ctx).jwt(e.id, s.id, { format: "vc2" });
  } catch (cause) {
    if (cause instanceof EntitlementUnavailableError) throw new ApiError("ERR_INVALID_STATE", cause.message, { cause });
    throw cause;
  }
  await ctx.db.$transaction((tx) =>
    appendAuditEvent(tx, ctx, { actorId: null, action: "credential.issue_api", subject: e.id, details: { token: caller.id, holderBound: Boolean(s.id) } }),
  );
  return jwt;
}
