"use server";
/**
 * Server actions of the console. Each checks the session and the form's CSRF token, calls one
 * domain function in src/server, and redirects (errors come back as ?error=CODE).
 */
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { LOCALES } from "@haki/i18n";
import { getServerContext } from "../server/context";
import { login } from "../server/auth/login";
import { deleteSession, SESSION_COOKIE } from "../server/auth/sessions";
import { LOCALE_COOKIE, requireActionSession } from "../server/web/page-session";
import { runAction } from "../server/web/action-result";
import { saveSource } from "../server/registry/save-source";
import { createProgramme } from "../server/programmes/create-programme";
import { saveProgrammeContact } from "../server/programmes/save-programme-contact";
import { parseAreaList, saveAreaList } from "../server/areas/save-area-list";
import { createCycle } from "../server/cycles/create-cycle";
import { approveCycle, closeCycle } from "../server/cycles/transition-cycle";
import { startIssuance } from "../server/issuance/start-issuance";
import { parseMappingText, parseRuleForm } from "../server/web/form-parsers";
import { createUser } from "../server/auth/create-user";
import { requireRole } from "../server/auth/roles";

const str = (f: FormData, k: string) => {
  const v = f.get(k);
  return typeof v === "string" ? v : "";
};

export async function loginAction(form: FormData): Promise<void> {
  const ctx = getServerContext();
  const result = await login(ctx, { email: str(form, "email"), password: str(form, "password") }).catch(() => null);
  if (!result) redirect("/login?error=1");
  const jar = await cookies();
  jar.set(SESSION_COOKIE, result.token, {
    httpOnly: true,
    sameSite: "lax",
    secure: ctx.env.HAKI_PUBLIC_URL.startsWith("https:"),
    path: "/",
    expires: result.expiresAt,
  });
  redirect("/");
}

export async function logoutAction(form: FormData): Promise<void> {
  await requireActionSession(form);
  const jar = await cookies();
  await deleteSession(getServerContext(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
  redirect("/login");
}

export async function setLocaleAction(form: FormData): Promise<void> {
  const locale = str(form, "locale");
  if ((LOCALES as readonly string[]).includes(locale)) {
    (await cookies()).set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 365 * 86400 });
  }
  const back = str(form, "back");
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

export async function createProgrammeAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  let id = "";
  await runAction("/programmes", async () => {
    id = (
      await createProgramme(
        getServerContext(),
        {
          code: str(form, "code"),
          name: str(form, "name"),
          benefitType: str(form, "benefitType") as "cash",
          currency: str(form, "currency"),
          item: str(form, "item"),
          unit: str(form, "unit"),
          description: str(form, "description"),
          area: str(form, "area"),
          redemption: str(form, "redemption") as "single",
          contact: str(form, "contact"),
        },
        actor,
      )
    ).id;
  });
  redirect(`/programmes/${id}`);
}

export async function saveProgrammeContactAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  const programmeId = str(form, "programmeId");
  const back = `/programmes/${encodeURIComponent(programmeId)}`;
  await runAction(back, () => saveProgrammeContact(getServerContext(), { programmeId, contact: str(form, "contact") }, actor));
  revalidatePath(back);
  redirect(back);
}

export async function saveAreaListAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  await runAction("/service-points", () => saveAreaList(getServerContext(), parseAreaList(str(form, "areas")), actor));
  revalidatePath("/service-points");
  redirect("/service-points");
}

export async function createCycleAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  const programmeId = str(form, "programmeId");
  const back = `/programmes/${encodeURIComponent(programmeId)}`;
  if (str(form, "intent") === "preview") {
    // Preview keeps the form's values in the URL; nothing is stored.
    const params = new URLSearchParams();
    for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("$") && k !== "csrf") params.set(k, v);
    redirect(`${back}?${params.toString()}`);
  }
  let id = "";
  await runAction(back, async () => {
    id = (
      await createCycle(
        getServerContext(),
        {
          programmeId,
          code: str(form, "code"),
          validFrom: str(form, "validFrom"),
          validUntil: str(form, "validUntil"),
          amount: str(form, "amount"),
          quantity: str(form, "quantity"),
          rule: parseRuleForm(form),
        },
        actor,
      )
    ).id;
  });
  redirect(`/cycles/${id}`);
}

export async function cycleAction(form: FormData): Promise<void> {
  const { actor } = await requireActionSession(form);
  const id = str(form, "cycleId");
  const back = `/cycles/${encodeURIComponent(id)}`;
  const ctx = getServerContext();
  await runAction(back, async () => {
    switch (str(form, "intent")) {
      case "approve":
        return approveCycle(ctx, id, actor);
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
