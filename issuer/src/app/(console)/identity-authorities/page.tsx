import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { readIdentityAuthorities } from "@/server/identity/read-identity-authorities";
import { addIdentityAuthorityAction, removeIdentityAuthorityAction } from "@/app/actions";
import { ActionButton, DataTable, PageHeader } from "@/app/(console)/table";

export default async function IdentityAuthoritiesPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  const { t, locale } = await pageI18n();
  const { error } = await searchParams;
  const rows = await readIdentityAuthorities(getServerContext());
  const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  return (
    <>
      <PageHeader title={t("identityAuthorities.title")} help={t("identityAuthorities.help")} error={error} t={t} />
      {rows.length === 0 ? (
        <p data-testid="no-identity-authority">{t("identityAuthorities.none")}</p>
      ) : (
        <DataTable testId="identity-authorities" head={[t("identityAuthorities.name"), t("identityAuthorities.issuer"), t("identityAuthorities.alg"), t("identityAuthorities.kid"), t("identityAuthorities.added"), ""]}>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td className="mono">{r.issuer}</td>
                <td>{r.alg}</td>
                <td className="mono">{r.kid ?? ""}</td>
                <td>{day.format(r.createdAt)}</td>
                <td>
                  <ActionButton action={removeIdentityAuthorityAction} csrf={session.csrfToken} hidden={{ id: r.id }} className="secondary">
                    {t("identityAuthorities.remove")}
                  </ActionButton>
                </td>
              </tr>
            ))}
        </DataTable>
      )}
      <form className="card" action={addIdentityAuthorityAction} id="add-identity-authority">
        <h2>{t("identityAuthorities.add")}</h2>
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <label>
          {t("identityAuthorities.name")} <input name="name" required maxLength={120} />
        </label>
        <label>
          {t("identityAuthorities.issuer")} <input name="issuer" required maxLength={300} />
        </label>
        <label>
          {t("identityAuthorities.alg")}{" "}
          <select name="alg" defaultValue="EdDSA">
            <option value="EdDSA">EdDSA (Ed25519)</option>
            <option value="ES256">ES256 (P-256)</option>
          </select>
        </label>
        <label>
          {t("identityAuthorities.kid")} <input name="kid" maxLength={200} />
        </label>
        <label>
          {t("identityAuthorities.publicKey")}
          <textarea name="publicKey" rows={4} cols={60} required />
        </label>
        <button type="submit">{t("identityAuthorities.add")}</button>
      </form>
    </>
  );
}
