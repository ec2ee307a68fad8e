/**
 * W3C VC-API `POST /credentials/issue` for Haki: issues (or re-issues, bound to a holder) the
 * credential of an entitlement that went through the approved cycle. The caller names the
 * entitlement (programme, cycle, beneficiary) and optionally the holder; everything the credential
 * says comes from the issuer's own records, so the API cannot bypass four-eyes approval.
 */
import { z } from "zod";
import { signCredential } from "@haki/credentials/sign";
import { BeneficiaryRef, HolderDid } from "@haki/credentials/model";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { entitlementInput } from "@/server/issuance/entitlement-input";

const Code = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/);

export const IssueRequest = z.object({
  credential: z.object({
    "@context": z.array(z.string()).optional(),
    type: z.array(z.string()).optional(),
    issuer: z.union([z.string(), z.object({ id: z.string() })]).optional(),
    credentialSubject: z.object({
      id: HolderDid.optional(),
      beneficiary: BeneficiaryRef,
      programme: z.union([Code, z.object({ id: Code })]),
      cycle: Code,
    }),
  }),
  options: z.record(z.string(), z.unknown()).optional(),
});
export type IssueRequest = z.infer<typeof IssueRequest>;

/**
 * @example
 * const { verifiableCredential } = await issueCredentialApi(ctx, body, { id: token.id });
 */
export async function issueCredentialApi(ctx: ServerContext, { credential }: IssueRequest, caller: { id: string; name: string }): Promise<{ verifiableCredential: string }> {
  const issuer = typeof credential.issuer === "string" ? credential.issuer : credential.issuer?.id;
  if (issuer && issuer !== ctx.did) throw new ApiError("ERR_BAD_REQUEST", `This issuer signs only as ${ctx.did}.`);
  const s = credential.credentialSubject;
  const programmeCode = typeof s.programme === "string" ? s.programme : s.programme.id;
  const e = await ctx.db.entitlement.findFirst({
    where: { beneficiary: { ref: s.beneficiary }, cycle: { code: s.cycle, programme: { code: programmeCode } } },
    include: { beneficiary: true, cycle: { include: { programme: true } } },
  });
  if (!e) throw new ApiError("ERR_NOT_FOUND", "No entitlement for this beneficiary in this programme cycle.");
  if (e.status !== "issued") throw new ApiError("ERR_INVALID_STATE", `This entitlement is ${e.status}.`);
  const key = await ctx.keys.getSigningKey();
  const jwt = await signCredential(
    entitlementInput(
      { entitlement: e, cycle: e.cycle, programme: e.cycle.programme, beneficiary: e.beneficiary },
      { did: key.did, publicUrl: ctx.env.HAKI_PUBLIC_URL, ...(s.id ? { holder: s.id } : {}) },
    ),
    key,
  );
  await ctx.db.$transaction((tx) =>
    appendAuditEvent(tx, ctx, { actorId: null, action: "credential.issue_api", subject: e.id, details: { token: caller.id, holderBound: Boolean(s.id) } }),
  );
  return { verifiableCredential: jwt };
}
