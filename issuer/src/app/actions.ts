"use server";
/**
 * Every change the console makes goes through a server action in this file (issuer/README.md,
 * "The console"). Each checks the session and the CSRF token, calls one domain function in
 * src/server, and either redirects (forms: errors come back as ?error=CODE) or, for a console
 * widget that shows what came back, answers an `ActionResult`. The one exception is a registry
 * file upload, which streams to POST /api/imports (a server action would buffer the whole file).
 *
 * Longer than 400 lines on purpose: it is the one list of console changes, so a reviewer sees every
 * state change the console can make in one place; each action is only the session and CSRF checks,
 * one call and the answer, and grows by a few lines per action.
 */
import { z } from "zod";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { isLocale } from "@haki/i18n";
import { getServerContext } from "@/server/context";
import { login } from "@/server/auth/login";
import { ApiError } from "@/server/api/errors";
import { clientAddressOf } from "@/server/web/client-address";
import { deleteSession, SESSION_COOKIE, type SessionInfo } from "@/server/auth/sessions";
import { LOCALE_COOKIE, currentSession, requireActionSession } from "@/server/web/page-session";
import { actionResult, runAction, type ActionResult } from "@/server/web/action-result";
import { saveSource } from "@/server/registry/save-source";
import { createProgramme } from "@/server/programmes/create-programme";
import { saveProgrammeContact } from "@/server/programmes/save-programme-contact";
import { saveProgrammeIdBinding } from "@/server/programmes/save-programme-id-binding";
import { saveProgrammeBearerForms } from "@/server/programmes/save-programme-bearer-forms";
import { parseAreaList, saveAreaList } from "@/server/areas/save-area-list";
import { addIdentityAuthority, removeIdentityAuthority } from "@/server/identity/add-identity-authority";
import { createCycle, createTopUpCycle } from "@/server/cycles/create-cycle";
import { previewCycle } from "@/server/cycles/preview-eligibility";
import { approveCycle, closeCycle, returnCycle, submitCycle } from "@/server/cycles/transition-cycle";
import { emptyForm, formAction, formValues, type FormState } from "@/server/web/form-state";
import { recordGrievance, resolveGrievance } from "@/server/grievances/record-grievance";
import { replacePhone, type ReplacePhoneResult } from "@/server/delivery/replace-phone";
import { supersedeCredential } from "@/server/delivery/supersede-credential";
import { resolveDoubleRedemption } from "@/server/settlement/resolve-double-redemption";
import { startIssuance } from "@/server/issuance/start-issuance";
import { parseMappingText, parseRuleForm } from "@/server/web/form-parsers";
import { createUser } from "@/server/auth/create-user";
import { requireRole } from "@/server/auth/roles";
import { createApiToken, type CreateApiTokenInput } from "@/server/auth/api-tokens";
import { saveDciSource } from "@/server/registry/dci-source";
import { parseDciSourceForm } from "@/server/registry/dci-form";
import { startDciImport } from "@/server/registry/start-dci-import";
import { createSetupCode, saveServicePoint, setServicePointEnabled, type SaveServicePointInput } from "@/server/verifier/service-points";
import { changeStatus, type ChangeStatusInput } from "@/server/status/change-status";
import { createOffer } from "@/server/delivery/create-offer";
import { handleBulkStatusForm, type BulkStatusFormResult } from "@/server/web/bulk-status-form";
import { changePassword, disableUser, enableUser, resetPassword, updateUser, type UpdateUserInput } from "@/server/auth/manage-users";
import { revokeApiToken } from "@/server/auth/api-tokens";
import { revokeDevice } from "@/server/verifier/devices";
import { distrustIssuerKey, reissueSignedBy } from "@/server/keys/distrust-key";

type UpdateUserRoles = z.input<typeof UpdateUserInput>["roles"];

const str = (f: FormData, k: string) => {
  const v = f.get(k);
  return typeof v === "string" ? v : "";
};

export async function loginAction(form: FormData): Promise<void> {
  const ctx = getServerContext();
  const address = clientAddressOf(await headers(), ctx.env);
  const result = await login(ctx, { email: str(form, "email"), password: str(form, "password") }, { address }).catch((e: unknown) =>
    e instanceof ApiError && e.code === "ERR_TOO_MANY_ATTEMPTS" ? e : null,
  );
  if (result instanceof ApiError) redirect(`/login?error=${result.code}`);
  if (!result) redirect("/login?error=1");
  const mustChange = result.mustChangePassword;
  const jar = await cookies();
  jar.set(SESSION_COOKIE, result.token, {
    httpOnly: true,
    sameSite: "lax",
    secure: ctx.env.HAKI_PUBLIC_URL.startsWith("https:"),
    path: "/",
    expires: result.expiresAt,
  });
  redirect(mustChange ? "/password" : "/");
}

export async function logoutAction(form: FormData): Promise<void> {
  await requireActionSession(form, { passwordChange: true });
  const jar = await cookies();
  await deleteSession(getServerContext(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  redirect("/login");
}

export async function setLocaleAction(form: FormData): Promise<void> {
  const locale = str(form, "locale");
  if (isLocale(locale)) {
    (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 365 * 86400 });
  }
  // Back to the page the language was changed on.
  const referer = (await headers()).get("referer");
  const back = referer ? new URL(referer).pathname + new URL(referer).search : str(form, "back");
  redirect(back.startsWith("/") && !back.startsWith("//") ? back : "/");
}

export async function saveSourceAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/imports", () =>
    saveSource(getServerContext(), { id: str(form, "id") || undefined, name: str(form, "name"), mapping: parseMappingText(str(form, "mapping")) }, actor),
  );
  revalidatePath("/imports");
  redirect("/imports");
}

export async function saveDciSourceAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/imports", () => saveDciSource(getServerContext(), parseDciSourceForm(form), actor));
  revalidatePath("/imports");
  redirect("/imports");
}

/** The new programme form: only the fields of the chosen benefit type are kept. */
export async function createProgrammeAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireActionSession(form);
  let id = "";
  const state = await formAction(form, async () => {
    const type = str(form, "benefitType");
    id = (
      await createProgramme(
        getServerContext(),
        {
          code: str(form, "code"),
          name: str(form, "name"),
          benefitType: type as "cash",
          currency: type === "cash" || type === "voucher" ? str(form, "currency") : "",
          item: type === "inkind" ? str(form, "item") : "",
          unit: type === "inkind" ? str(form, "unit") : "",
          description: type === "voucher" ? str(form, "description") : "",
          area: str(form, "area"),
          redemption: str(form, "redemption") as "single",
          contact: str(form, "contact"),
          bearerForms: (str(form, "bearerForms") || "one") as "one",
        },
        actor,
      )
    ).id;
  });
  if (id) redirect(`/programmes/${id}`);
  return state;
}

/** A setting saved from a programme's page: back to that page, fresh (a refusal comes back as ?error=CODE). */
async function saveProgrammeSetting(form: FormData, save: (programmeId: string, actor: SessionInfo["actor"]) => Promise<unknown>): Promise<void> {
  const { actor } = await requireActionSession(form);
  const programmeId = str(form, "programmeId");
  const back = `/programmes/${encodeURIComponent(programmeId)}`;
  await runAction(back, () => save(programmeId, actor));
  revalidatePath(back);
  redirect(back);
}

export async function saveProgrammeContactAction(form: FormData): Promise<void> {
  await saveProgrammeSetting(form, (programmeId, actor) => saveProgrammeContact(getServerContext(), { programmeId, contact: str(form, "contact") }, actor));
}

export async function saveProgrammeIdBindingAction(form: FormData): Promise<void> {
  await saveProgrammeSetting(form, (programmeId, actor) => saveProgrammeIdBinding(getServerContext(), { programmeId, mode: str(form, "mode") as "off" }, actor));
}

export async function saveProgrammeBearerFormsAction(form: FormData): Promise<void> {
  await saveProgrammeSetting(form, (programmeId, actor) => saveProgrammeBearerForms(getServerContext(), { programmeId, bearerForms: str(form, "bearerForms") as "one" }, actor));
}

export async function saveAreaListAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/service-points", () => saveAreaList(getServerContext(), parseAreaList(str(form, "areas")), actor));
  revalidatePath("/service-points");
  redirect("/service-points");
}

export async function addIdentityAuthorityAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  const back = "/identity-authorities";
  await runAction(back, () =>
    addIdentityAuthority(getServerContext(), { issuer: str(form, "issuer"), name: str(form, "name"), alg: str(form, "alg") as "EdDSA", kid: str(form, "kid"), publicKey: str(form, "publicKey") }, actor),
  );
  revalidatePath(back);
  redirect(back);
}

export async function removeIdentityAuthorityAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  const back = "/identity-authorities";
  await runAction(back, () => removeIdentityAuthority(getServerContext(), { id: str(form, "id") }, actor));
  revalidatePath(back);
  redirect(back);
}

/**
 * The cycle form: "preview" answers who qualifies (a sample and the total cost) without storing
 * anything; "prepare" stores the draft cycle and opens it.
 */
export async function cycleFormAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireActionSession(form);
  const ctx = getServerContext();
  const input = {
    programmeId: str(form, "programmeId"),
    code: str(form, "code"),
    validFrom: str(form, "validFrom"),
    validUntil: str(form, "validUntil"),
    amount: str(form, "amount"),
    quantity: str(form, "quantity"),
    credentialFormat: str(form, "credentialFormat") as "vc2",
    rule: parseRuleForm(form),
  };
  let id = "";
  const state = await formAction(
    form,
    async () => {
      if (str(form, "intent") === "preview") {
        const preview = await previewCycle(ctx, input);
        return { values: formValues(form), fields: {}, ok: { preview } };
      }
      id = (await createCycle(ctx, input, actor)).id;
    },
    { fieldOf: (path) => (path.startsWith("rule") ? "rule" : (path.split(".")[0] ?? "")) },
  );
  if (id) redirect(`/cycles/${id}`);
  return state;
}

/** Approve (with the digest of the list shown and the approver's confirmation), submit, issue or close a cycle. */
export async function cycleAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  const id = str(form, "cycleId");
  const back = `/cycles/${encodeURIComponent(id)}`;
  const ctx = getServerContext();
  await runAction(back, async () => {
    switch (str(form, "intent")) {
      case "submit":
        return submitCycle(ctx, id, actor);
      case "approve":
        if (str(form, "checked") !== "yes") throw new ApiError("ERR_NOT_CONFIRMED", "Tick that you checked the list.");
        return approveCycle(ctx, { cycleId: id, digest: str(form, "digest") }, actor);
      case "issue":
        return startIssuance(ctx, id, actor);
      case "close":
        return closeCycle(ctx, id, actor);
    }
  });
  revalidatePath(back);
  redirect(back);
}

export async function createUserAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/users", async () => {
    requireRole(actor, "admin");
    await createUser(
      getServerContext(),
      {
        email: str(form, "email"),
        name: str(form, "name"),
        password: str(form, "password"),
        roles: form.getAll("roles").map(String) as ("officer" | "approver" | "auditor" | "admin")[],
      },
      actor.id,
    );
  });
  revalidatePath("/users");
  redirect("/users");
}

/** Bulk status screen: preview or apply, answered with a result so the screen keeps the pasted list. */
export async function bulkStatusAction(form: FormData): Promise<BulkStatusFormResult> {
  const session = await currentSession();
  if (!session) redirect("/login");
  const result = await handleBulkStatusForm(getServerContext(), session, form);
  if (result.kind === "done" && result.result.changed > 0) revalidatePath("/", "layout");
  return result;
}

// ---- console widgets: each answers an ActionResult (the widget shows the value or the message).
// The domain functions check their input with their zod schemas; the types here guide the widget.

/** A new API token for the VC-API (admin), shown once. */
export async function createApiTokenAction(csrf: string, input: z.input<typeof CreateApiTokenInput>): Promise<ActionResult<{ id: string; token: string }>> {
  const { actor } = await requireActionSession(csrf);
  return actionResult(() => createApiToken(getServerContext(), input, actor));
}

/** Creates or updates a service point. */
export async function saveServicePointAction(
  csrf: string,
  input: z.input<typeof SaveServicePointInput>,
): Promise<ActionResult<{ id: string }>> {
  const { actor } = await requireActionSession(csrf);
  const result = await actionResult(() => saveServicePoint(getServerContext(), input, actor));
  if (result.ok) revalidatePath("/service-points");
  return result;
}

/** A one-time set-up code for a device of a service point, shown once. */
export async function createSetupCodeAction(csrf: string, servicePointId: string): Promise<ActionResult<{ setupCode: string; expiresAt: Date }>> {
  const { actor } = await requireActionSession(csrf);
  return actionResult(() => createSetupCode(getServerContext(), z.string().min(1).max(64).parse(servicePointId), actor));
}

/** Suspends, reinstates or revokes one entitlement's credential, with a reason. */
export async function changeStatusAction(
  csrf: string,
  input: z.input<typeof ChangeStatusInput>,
): Promise<ActionResult<{ changed: number }>> {
  const { actor } = await requireActionSession(csrf);
  return actionResult(() => changeStatus(getServerContext(), input, actor));
}

/** A new OpenID4VCI offer for an issued entitlement (QR, link and the PIN, shown once). */
export async function createOfferAction(
  csrf: string,
  entitlementId: string,
  format: "jwt_vc_json" | "dc+sd-jwt" = "jwt_vc_json",
): Promise<ActionResult<{ offerUri: string; link: string; txCode?: string; expiresAt: Date }>> {
  const { actor } = await requireActionSession(csrf);
  return actionResult(() => createOffer(getServerContext(), { entitlementId, withPin: true, format }, actor));
}

/** Starts importing a DCI registry source; the widget then follows the run. */
export async function startDciImportAction(csrf: string, sourceId: string): Promise<ActionResult<{ runId: string }>> {
  const { actor } = await requireActionSession(csrf);
  return actionResult(() => startDciImport(getServerContext(), { sourceId: z.uuid().parse(sourceId) }, actor));
}

// ---- casework and approvals: forms that keep what was typed and show errors next to the fields.

/** Returns a submitted cycle to its officer with a comment (approver). */
export async function returnCycleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireActionSession(form);
  const cycleId = str(form, "cycleId");
  let done = false;
  const state = await formAction(form, async () => {
    await returnCycle(getServerContext(), { cycleId, comment: str(form, "comment") }, actor);
    done = true;
  });
  if (done) {
    revalidatePath(`/cycles/${cycleId}`);
    redirect(`/cycles/${encodeURIComponent(cycleId)}`);
  }
  return state;
}

/** Prepares a top-up cycle for people who qualify now but are not in an approved cycle's list. */
export async function topUpAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireActionSession(form);
  let id = "";
  const state = await formAction(form, async () => {
    id = (await createTopUpCycle(getServerContext(), { cycleId: str(form, "cycleId"), code: str(form, "code") }, actor)).id;
  });
  if (id) redirect(`/cycles/${id}`);
  return state;
}

/** Records a grievance about a person (or one of their entitlements). */
export async function recordGrievanceAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireActionSession(form);
  let ref = "";
  const state = await formAction(form, async () => {
    const input = {
      beneficiaryRef: str(form, "beneficiaryRef"),
      entitlementId: str(form, "entitlementId"),
      kind: str(form, "kind") as "complaint",
      category: str(form, "category") as "amount",
      text: str(form, "text"),
    };
    await recordGrievance(getServerContext(), input, actor);
    ref = input.beneficiaryRef.trim().toUpperCase();
  });
  if (ref) {
    revalidatePath("/grievances");
    redirect(str(form, "back") === "profile" ? `/beneficiaries/${encodeURIComponent(ref)}#grievances` : "/grievances");
  }
  return state;
}

/** Resolves a grievance with a note. */
export async function resolveGrievanceAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireActionSession(form);
  return formAction(form, async () => {
    await resolveGrievance(getServerContext(), { grievanceId: str(form, "grievanceId"), resolution: str(form, "resolution") }, actor);
    revalidatePath("/grievances");
    return { ...emptyForm(), ok: { resolved: true } };
  });
}

/** A lost or replaced phone: the old credential is cancelled, a new offer (QR and PIN) is made. */
export async function replacePhoneAction(csrf: string, input: { entitlementId: string; reason: string }): Promise<ActionResult<ReplacePhoneResult>> {
  const { actor } = await requireActionSession(csrf);
  return actionResult(() => replacePhone(getServerContext(), input, actor));
}

/** A lost paper card: the old card is cancelled (new status position); the new card is then printed. */
export async function cardLostAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireActionSession(form);
  return formAction(form, async () => {
    await supersedeCredential(getServerContext(), { entitlementId: str(form, "entitlementId"), lost: "card", reason: str(form, "reason") }, actor);
    return { ...emptyForm(), ok: { entitlementId: str(form, "entitlementId") } };
  });
}

/** Paper instead of the phone (one bearer form): the phone's credential is cancelled (new status position); the card is then printed. */
export async function paperInsteadAction(csrf: string, input: { entitlementId: string; reason: string }): Promise<ActionResult<{ entitlementId: string }>> {
  const { actor } = await requireActionSession(csrf);
  return actionResult(async () => {
    await supersedeCredential(getServerContext(), { entitlementId: input.entitlementId, form: "paper", reason: input.reason }, actor);
    return { entitlementId: input.entitlementId };
  });
}

/** Settles a flagged double redemption: paid (legitimate) or withheld. */
export async function resolveDoubleAction(_prev: FormState, form: FormData): Promise<FormState> {
  const { actor } = await requireActionSession(form);
  return formAction(form, async () => {
    await resolveDoubleRedemption(getServerContext(), { receiptId: str(form, "receiptId"), resolution: str(form, "resolution") as "pay", note: str(form, "note") }, actor);
    revalidatePath("/settlement");
    return { ...emptyForm(), ok: { resolved: true } };
  });
}

// ---- lifecycle controls (issue 12): users, API tokens, devices, issuer keys, one's own password.

/** Edits a user's name and roles (admin). */
export async function updateUserAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/users", () =>
    updateUser(getServerContext(), { userId: str(form, "userId"), name: str(form, "name"), roles: form.getAll("roles").map(String) as UpdateUserRoles }, actor),
  );
  revalidatePath("/users");
  redirect("/users");
}

/** Disables (sessions end at once) or enables a user (admin). */
export async function setUserEnabledAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  const ctx = getServerContext();
  const userId = str(form, "userId");
  await runAction("/users", () => (str(form, "intent") === "enable" ? enableUser(ctx, { userId }, actor) : disableUser(ctx, { userId, reason: str(form, "reason") }, actor)));
  revalidatePath("/users");
  redirect("/users");
}

/** Resets a user's password (admin): the one-time password, shown once. */
export async function resetPasswordAction(csrf: string, userId: string): Promise<ActionResult<{ oneTimePassword: string }>> {
  const { actor } = await requireActionSession(csrf);
  return actionResult(() => resetPassword(getServerContext(), { userId: z.string().min(1).max(64).parse(userId) }, actor));
}

/** Revokes an API token (admin). */
export async function revokeApiTokenAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/users", () => revokeApiToken(getServerContext(), { id: str(form, "tokenId") }, actor));
  revalidatePath("/users");
  redirect("/users");
}

/** Revokes a verifier device (admin, officer), with a reason. */
export async function revokeDeviceAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/service-points", () => revokeDevice(getServerContext(), { deviceId: str(form, "deviceId"), reason: str(form, "reason") }, actor));
  revalidatePath("/service-points");
  redirect("/service-points");
}

/** Switches a service point off (with a reason) or on again (admin, officer). */
export async function setServicePointEnabledAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/service-points", () =>
    setServicePointEnabled(getServerContext(), { id: str(form, "servicePointId"), enabled: str(form, "intent") === "enable", reason: str(form, "reason") }, actor),
  );
  revalidatePath("/service-points");
  redirect("/service-points");
}

/** Distrusts an issuer key (admin), once the person ticked the confirmation. */
export async function distrustKeyAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/keys", async () => {
    if (form.get("confirm") !== "on") throw new ApiError("ERR_BAD_REQUEST", "Tick the confirmation first.");
    await distrustIssuerKey(getServerContext(), { kid: str(form, "kid"), reason: str(form, "reason") }, actor);
  });
  revalidatePath("/", "layout");
  redirect("/keys");
}

/** Re-signs what a distrusted key signed (admin, officer); answers the counts. */
export async function reissueAction(csrf: string, kid: string): Promise<ActionResult<{ resigned: number; onPhones: number; cycles: string[] }>> {
  const { actor } = await requireActionSession(csrf);
  return actionResult(() => reissueSignedBy(getServerContext(), { kid: z.string().min(1).max(300).parse(kid) }, actor));
}

/** The signed-in person chooses a new password (the one action allowed after an admin's reset). */
export async function changePasswordAction(form: FormData): Promise<void> {
  const session = await requireActionSession(form, { passwordChange: true });
  await runAction("/password", () => changePassword(getServerContext(), { current: str(form, "current"), next: str(form, "next") }, session.actor, session.sessionId));
  redirect("/");
}
