/**
 * Console helpers for pages and server actions (Next.js only): the signed-in actor from the
 * session cookie, the CSRF check for forms, the locale, and the start every console page shares
 * (and a page about one record by its id).
 */
import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { isLocale, matchLocale, createTranslator, textDirection, type Locale } from "@haki/i18n";
import { getServerContext, type ServerContext } from "@/server/context";
import { SESSION_COOKIE, readSession, type SessionInfo } from "@/server/auth/sessions";
import { checkCsrf } from "./csrf";
import { formatters } from "./format";

export const LOCALE_COOKIE = "haki_locale";

/** The session of the current request, or null. */
export async function currentSession(): Promise<SessionInfo | null> {
  const jar = await cookies();
  return readSession(getServerContext(), jar.get(SESSION_COOKIE)?.value);
}

/** The session, or a redirect to the login page (or to /password after an admin's reset). */
export async function requirePageSession(): Promise<SessionInfo> {
  const session = await currentSession();
  if (!session) redirect("/login");
  if (session.mustChangePassword) redirect("/password");
  return session;
}

/**
 * For server actions: the session, after checking the CSRF token (a form's hidden `csrf` field,
 * or the token a console widget passes) against it. Next also refuses cross-origin action posts
 * by Origin; the token covers what that check cannot.
 */
export async function requireActionSession(csrf: FormData | string, options: { passwordChange?: boolean } = {}): Promise<SessionInfo> {
  const session = await currentSession();
  if (!session) redirect("/login");
  checkCsrf(csrf, session);
  // After a reset the only action allowed is choosing the new password.
  if (session.mustChangePassword && !options.passwordChange) redirect("/password");
  return session;
}

/** The console locale: the language cookie, else the browser's Accept-Language. */
export async function currentLocale(): Promise<Locale> {
  const jar = await cookies();
  const chosen = jar.get(LOCALE_COOKIE)?.value;
  if (isLocale(chosen)) return chosen;
  return matchLocale((await headers()).get("accept-language"));
}

/** Translator and direction for the current request. */
export async function pageI18n() {
  const locale = await currentLocale();
  return { locale, dir: textDirection(locale), t: createTranslator(locale, "issuer") };
}

/**
 * What a console page starts with: the session (or the redirect to sign in), the reader's
 * translator and locale, and the formatters of that locale.
 *
 * @example
 * const { session, t, f } = await consolePage();
 */
export async function consolePage() {
  const session = await requirePageSession();
  const i18n = await pageI18n();
  return { session, ...i18n, f: formatters(i18n.locale) };
}

/**
 * What a console page about one record (`/programmes/[id]`, `/cycles/[id]`) starts with:
 * `consolePage()`, the route's id, its query, the server context and the record `read` finds for
 * the id (none: the not-found page).
 *
 * @example
 * const { session, t, q, ctx, record: programme } = await recordPage(props, readProgramme);
 */
export async function recordPage<Q, R>(
  props: { params: Promise<{ id: string }>; searchParams: Promise<Q> },
  read: (ctx: ServerContext, id: string) => Promise<R | null>,
) {
  const page = await consolePage();
  const { id } = await props.params;
  const q = await props.searchParams;
  const ctx = getServerContext();
  const record = await read(ctx, id);
  if (!record) notFound();
  return { ...page, id, q, ctx, record };
}
