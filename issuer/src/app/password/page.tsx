import { redirect } from "next/navigation";
import { currentSession, pageI18n } from "@/server/web/page-session";
import { changePasswordAction } from "@/app/actions";
import { SignOutForm } from "@/app/sign-out-form";

export const dynamic = "force-dynamic";

/** Choosing a new password: required after an admin's reset (nothing else opens until then), or by choice. */
export default async function PasswordPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await currentSession();
  if (!session) redirect("/login");
  const { t } = await pageI18n();
  const { error } = await searchParams;
  return (
    <main style={{ maxWidth: "28rem" }}>
      <h1>{t("password.title")}</h1>
      {session.mustChangePassword ? <p className="warn">{t("password.forced")}</p> : null}
      {error ? (
        <p className="error" role="alert">
          {t(`errors.${error}`, { defaultValue: t("errors.ERR_BAD_REQUEST") })}
        </p>
      ) : null}
      <form className="card" action={changePasswordAction}>
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <label>
          {t("password.current")}
          <br />
          <input name="current" type="password" autoComplete="current-password" required />
        </label>
        <label>
          {t("password.next")}
          <br />
          <input name="next" type="password" autoComplete="new-password" minLength={12} required />
        </label>
        <button type="submit">{t("password.save")}</button>
      </form>
      <SignOutForm csrf={session.csrfToken} label={t("nav.logout")} />
    </main>
  );
}
