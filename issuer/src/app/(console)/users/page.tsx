import { redirect } from "next/navigation";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { formatWhen } from "@/server/web/format-when";
import { hasRole, ROLES } from "@/server/auth/roles";
import { readApiTokens } from "@/server/auth/read-api-tokens";
import { readUsers } from "@/server/auth/read-users";
import { createUserAction, revokeApiTokenAction, setUserEnabledAction, updateUserAction } from "@/app/actions";
import { ApiTokenForm } from "./api-token-form";
import { ResetPasswordButton } from "./reset-password-button";
import { ActionButton, ActionForm, DataTable, PageHeader } from "@/app/(console)/table";

/** Admin: console users (edit, disable, reset password, last sign-in) and API tokens (revoke, last used). */
export default async function UsersPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  if (!hasRole(session.actor, "admin")) redirect("/?error=ERR_FORBIDDEN");
  const { t, locale } = await pageI18n();
  const { error } = await searchParams;
  const ctx = getServerContext();
  const [users, tokens] = await Promise.all([readUsers(ctx), readApiTokens(ctx)]);
  const when = formatWhen(locale, t("users.never"));
  return (
    <>
      <PageHeader title={t("users.title")} error={error} t={t} />
      <DataTable head={[t("login.email"), `${t("users.name")} · ${t("users.roles")}`, t("users.state"), t("users.lastSeen"), t("users.actions")]}>
          {users.map((u) => (
            <tr key={u.id} data-user={u.email}>
              <td>{u.email}</td>
              <td>
                <ActionForm action={updateUserAction} className="row" csrf={session.csrfToken} hidden={{ userId: u.id }}>
                  <input name="name" defaultValue={u.name} required aria-label={t("users.name")} />
                  {ROLES.map((r) => (
                    <label key={r}>
                      <input type="checkbox" name="roles" value={r} defaultChecked={u.roles.includes(r)} /> {t(`users.role.${r}`)}
                    </label>
                  ))}
                  <button className="secondary" type="submit">
                    {t("users.save")}
                  </button>
                </ActionForm>
              </td>
              <td>{u.disabledAt ? `${t("users.disabled")} (${when(u.disabledAt)})` : u.mustChangePassword ? t("users.mustChange") : t("users.active")}</td>
              <td>{when(u.lastSeenAt)}</td>
              <td>
                {u.id === session.actor.id ? null : (
                  <ActionForm action={setUserEnabledAction} className="row" csrf={session.csrfToken} hidden={{ userId: u.id }}>
                    {u.disabledAt ? (
                      <button className="secondary" name="intent" value="enable" type="submit">
                        {t("users.enable")}
                      </button>
                    ) : (
                      <>
                        <input name="reason" placeholder={t("users.reason")} aria-label={t("users.reason")} maxLength={200} />
                        <button className="danger" name="intent" value="disable" type="submit">
                          {t("users.disable")}
                        </button>
                      </>
                    )}
                  </ActionForm>
                )}
                {u.signsInWith === "oidc" ? null : (
                  <ResetPasswordButton userId={u.id} email={u.email} labels={{ reset: t("users.reset"), done: t("users.resetDone"), failed: t("errors.ERR_INTERNAL") }} />
                )}
              </td>
            </tr>
          ))}
      </DataTable>
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
      <DataTable head={[t("users.name"), t("users.scopes"), t("users.tokenCreated"), t("users.tokenLastUsed"), t("users.state")]}>
          {tokens.map((k) => (
            <tr key={k.id} data-token={k.name}>
              <td>{k.name}</td>
              <td className="mono">{k.scopes}</td>
              <td>{when(k.createdAt)}</td>
              <td>{when(k.lastUsedAt)}</td>
              <td>
                {k.revoked ? (
                  `${t("users.revoked")} (${when(k.revokedAt)})`
                ) : (
                  <ActionButton action={revokeApiTokenAction} csrf={session.csrfToken} hidden={{ tokenId: k.id }} className="danger">
                    {t("users.revoke")}
                  </ActionButton>
                )}
              </td>
            </tr>
          ))}
      </DataTable>
      <ApiTokenForm labels={{ name: t("users.name"), create: t("users.newToken"), once: t("users.tokenOnce"), failed: t("errors.ERR_INTERNAL") }} />
    </>
  );
}
