import type { ReactNode } from "react";
import Link from "next/link";
import { LOCALES, LOCALE_NAMES } from "@haki/i18n";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { logoutAction, setLocaleAction } from "@/app/actions";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requirePageSession();
  const { t, locale } = await pageI18n();
  return (
    <>
      <header className="top">
        <strong>{t("title")}</strong>
        <nav>
          <Link href="/">{t("nav.dashboard")}</Link>
          <Link href="/imports">{t("nav.imports")}</Link>
          <Link href="/programmes">{t("nav.programmes")}</Link>
          <Link href="/service-points">{t("nav.servicePoints")}</Link>
          <Link href="/identity-authorities">{t("nav.identityAuthorities")}</Link>
          <Link href="/redemptions">{t("nav.redemptions")}</Link>
          {hasRole(session.actor, "officer", "approver") ? <Link href="/bulk-status">{t("nav.bulkStatus")}</Link> : null}
          {hasRole(session.actor, "auditor", "admin") ? <Link href="/audit">{t("nav.audit")}</Link> : null}
          {hasRole(session.actor, "admin") ? <Link href="/users">{t("nav.users")}</Link> : null}
        </nav>
        <span className="grow" />
        <form action={setLocaleAction}>
          <input type="hidden" name="back" value="/" />
          <select name="locale" defaultValue={locale} aria-label="Language">
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>{" "}
          <button className="secondary" type="submit">
            OK
          </button>
        </form>
        <form action={logoutAction}>
          <input type="hidden" name="csrf" value={session.csrfToken} />
          <button className="secondary" type="submit">
            {t("nav.logout")}
          </button>
        </form>
      </header>
      <main>{children}</main>
    </>
  );
}
