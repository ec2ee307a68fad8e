import type { ReactNode } from "react";
import Link from "next/link";
import { LOCALES, LOCALE_NAMES } from "@haki/i18n";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { hasRole } from "@/server/auth/roles";
import { countWaitingApprovals } from "@/server/cycles/read-approvals";
import { setLocaleAction } from "@/app/actions";
import { SignOutForm } from "@/app/sign-out-form";
import { ConsoleProvider } from "@/app/(console)/kit";
import { Options } from "@/app/(console)/options";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requirePageSession();
  const { t, locale } = await pageI18n();
  const { actor } = session;
  const waiting = hasRole(actor, "approver") ? await countWaitingApprovals(getServerContext()) : 0;
  return (
    <>
      <a className="skip" href="#main">
        {t("nav.skip")}
      </a>
      <header className="top">
        <strong>{t("title")}</strong>
        <nav aria-label={t("nav.label")}>
          <Link href="/">{t("nav.dashboard")}</Link>
          <Link href="/beneficiaries">{t("nav.people")}</Link>
          <Link href="/programmes">{t("nav.programmes")}</Link>
          <Link href="/approvals">
            {t("nav.approvals")}
            {waiting ? (
              <span className="badge" aria-label={t("nav.waiting", { n: waiting })}>
                {waiting}
              </span>
            ) : null}
          </Link>
          <Link href="/grievances">{t("nav.grievances")}</Link>
          <Link href="/redemptions">{t("nav.redemptions")}</Link>
          <Link href="/settlement">{t("nav.settlement")}</Link>
          <Link href="/imports">{t("nav.imports")}</Link>
          <Link href="/service-points">{t("nav.servicePoints")}</Link>
          <Link href="/identity-authorities">{t("nav.identityAuthorities")}</Link>
          {hasRole(actor, "officer", "approver") ? <Link href="/bulk-status">{t("nav.bulkStatus")}</Link> : null}
          {hasRole(actor, "auditor", "admin") ? <Link href="/audit">{t("nav.audit")}</Link> : null}
          {hasRole(actor, "admin") ? <Link href="/users">{t("nav.users")}</Link> : null}
          {hasRole(actor, "admin") ? <Link href="/keys">{t("nav.keys")}</Link> : null}
          <Link href="/password">{t("password.link")}</Link>
        </nav>
        <span className="grow" />
        <form action={setLocaleAction} className="row">
          <input type="hidden" name="back" value="/" />
          <label>
            <span className="visually-hidden">{t("nav.language")}</span>
            <select name="locale" defaultValue={locale} aria-label={t("nav.language")}>
              <Options items={LOCALES.map((l) => ({ value: l, label: LOCALE_NAMES[l], lang: l }))} />
            </select>
          </label>
          <button className="secondary" type="submit">
            {t("nav.switchLanguage")}
          </button>
        </form>
        <SignOutForm csrf={session.csrfToken} label={t("nav.logout")} />
      </header>
      <main id="main">
        <ConsoleProvider csrf={session.csrfToken} locale={locale}>
          {children}
        </ConsoleProvider>
      </main>
    </>
  );
}
