import { LOCALES, LOCALE_NAMES } from "@haki/i18n";
import { pageI18n } from "@/server/web/page-session";
import { getEnv, oidcSettings } from "@/env";
import { loginAction, setLocaleAction } from "@/app/actions";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { t } = await pageI18n();
  const { error } = await searchParams;
  return (
    <main style={{ maxWidth: "24rem" }}>
      <h1>{t("title")}</h1>
      <form className="card" action={loginAction}>
        <h2>{t("login.title")}</h2>
        {error ? (
          <p className="error" role="alert">
            {error === "1" ? t("login.failed") : t(`errors.${error}`, { defaultValue: t("login.failed") })}
          </p>
        ) : null}
        <label>
          {t("login.email")}
          <br />
          <input name="email" type="email" autoComplete="username" required />
        </label>
        <label>
          {t("login.password")}
          <br />
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit">{t("login.submit")}</button>
        {oidcSettings(getEnv()) ? (
          <p>
            <a href="/api/auth/oidc/login">{t("login.oidc")}</a>
          </p>
        ) : null}
      </form>
      <form action={setLocaleAction} className="row">
        <input type="hidden" name="back" value="/login" />
        {LOCALES.map((l) => (
          <button key={l} className="secondary" name="locale" value={l} type="submit">
            {LOCALE_NAMES[l]}
          </button>
        ))}
      </form>
    </main>
  );
}
