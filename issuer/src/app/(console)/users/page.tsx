import { redirect } from "next/navigation";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { hasRole, ROLES } from "@/server/auth/roles";
import { readApiTokens } from "@/server/auth/read-api-tokens";
import { readUsers } from "@/server/auth/read-users";
import { createUserAction } from "@/app/actions";
import { ApiTokenForm } from "./api-token-form";

/** Admin: console users and their roles, and API tokens for the VC-API. */
export default async function UsersPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  if (!hasRole(session.actor, "admin")) redirect("/?error=ERR_FORBIDDEN");
  const { t } = await pageI18n();
  const { error } = await searchParams;
  const ctx = getServerContext();
  const [users, tokens] = await Promise.all([readUsers(ctx), readApiTokens(ctx)]);
  return (
    <>
      <h1>{t("users.title")}</h1>
      {error ? <p className="error" role="alert">{t(`errors.${error}`)}</p> : null}
      <table>
        <thead>
          <tr>
            <th>{t("login.email")}</th>
            <th>{t("users.name")}</th>
            <th>{t("users.roles")}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id}>
              <td>{u.email}</td>
              <td>{u.name}</td>
              <td>{u.roles.map((r) => t(`users.role.${r}`)).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card" action={createUserAction}>
        <h2>{t("users.new")}</h2>
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <div className="row">
          <label>
            {t("login.email")}
            <br />
            <input name="email" type="email" required />
          </label>
          <label>
            {t("users.name")}
            <br />
            <input name="name" required />
          </label>
          <label>
            {t("login.password")}
            <br />
            <input name="password" type="password" minLength={12} required autoComplete="new-password" />
          </label>
        </div>
        <div className="row">
          {ROLES.map((r) => (
            <label key={r}>
              <input type="checkbox" name="roles" value={r} /> {t(`users.role.${r}`)}
            </label>
          ))}
        </div>
        <button type="submit">{t("users.create")}</button>
      </form>
      <h2>{t("users.tokens")}</h2>
      <ul>
        {tokens.map((k) => (
          <li key={k.id}>
            {k.name} <span className="muted mono">{k.scopes}</span>
            {k.revoked ? " ✗" : ""}
          </li>
        ))}
      </ul>
      <ApiTokenForm csrf={session.csrfToken} labels={{ name: t("users.name"), create: t("users.newToken"), once: t("users.tokenOnce"), failed: t("errors.ERR_INTERNAL") }} />
    </>
  );
}
