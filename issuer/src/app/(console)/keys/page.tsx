import { redirect } from "next/navigation";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { formatWhen } from "@/server/web/format-when";
import { hasRole } from "@/server/auth/roles";
import { readIssuerKeys } from "@/server/keys/distrust-key";
import { distrustKeyAction } from "@/app/actions";
import { ReissueButton } from "./reissue-button";
import { ActionForm, DataTable, PageHeader } from "@/app/(console)/table";

/** Admin: the issuer's signing keys; distrust a compromised one and re-issue what it signed. */
export default async function KeysPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  if (!hasRole(session.actor, "admin")) redirect("/?error=ERR_FORBIDDEN");
  const { t, locale } = await pageI18n();
  const { error } = await searchParams;
  const keys = await readIssuerKeys(getServerContext());
  const when = formatWhen(locale, t("users.never"));
  return (
    <>
      <PageHeader title={t("keys.title")} help={t("keys.help")} error={error} t={t} />
      <DataTable head={[t("keys.kid"), t("keys.created"), t("users.state"), t("users.actions")]}>
          {keys.map((k) => (
            <tr key={k.kid} data-key={k.state}>
              <td className="mono">{k.kid.split("#")[1] ?? k.kid}</td>
              <td>{when(k.createdAt)}</td>
              <td>
                {t(`keys.state.${k.state}`)}
                {k.distrustedAt ? <div className="muted">{`${when(k.distrustedAt)}: ${k.reason ?? ""}`}</div> : null}
              </td>
              <td>
                {k.state === "distrusted" ? (
                  <ReissueButton kid={k.kid} labels={{ reissue: t("keys.reissue"), done: t("keys.reissued"), failed: t("errors.ERR_INTERNAL") }} />
                ) : (
                  <ActionForm action={distrustKeyAction} csrf={session.csrfToken} hidden={{ kid: k.kid }}>
                    <label>
                      {t("keys.reason")}
                      <br />
                      <input name="reason" required maxLength={500} />
                    </label>
                    <label>
                      <input type="checkbox" name="confirm" required /> {t("keys.confirm")}
                    </label>
                    <button className="danger" type="submit">
                      {t("keys.distrust")}
                    </button>
                  </ActionForm>
                )}
              </td>
            </tr>
          ))}
      </DataTable>
    </>
  );
}
