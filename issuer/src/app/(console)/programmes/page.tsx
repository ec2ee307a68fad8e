import Link from "next/link";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { readProgrammes } from "@/server/programmes/read-programmes";
import { createProgrammeAction } from "@/app/actions";

export default async function ProgrammesPage({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const session = await requirePageSession();
  const { t } = await pageI18n();
  const { error } = await searchParams;
  const programmes = await readProgrammes(getServerContext());
  return (
    <>
      <h1>{t("programmes.title")}</h1>
      {error ? <p className="error" role="alert">{t(`errors.${error}`)}</p> : null}
      <table>
        <thead>
          <tr>
            <th>{t("programmes.code")}</th>
            <th>{t("programmes.name")}</th>
            <th>{t("programmes.benefitType")}</th>
            <th>{t("programmes.area")}</th>
            <th>{t("programmes.cycles")}</th>
          </tr>
        </thead>
        <tbody>
          {programmes.map((p) => (
            <tr key={p.id}>
              <td className="mono">{p.code}</td>
              <td>
                <Link href={`/programmes/${p.id}`}>{p.name}</Link>
              </td>
              <td>
                {t(`programmes.${p.benefitType}`)} {p.currency ?? ""} {p.item ? `${p.item} (${p.unit})` : ""}
              </td>
              <td>{p.area ?? ""}</td>
              <td>{p.cycles}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card" action={createProgrammeAction}>
        <h2>{t("programmes.new")}</h2>
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <div className="row">
          <label>
            {t("programmes.code")}
            <br />
            <input name="code" required pattern="[a-z0-9][a-z0-9._\-]{0,63}" placeholder="cash-transfer" />
          </label>
          <label>
            {t("programmes.name")}
            <br />
            <input name="name" required />
          </label>
          <label>
            {t("programmes.benefitType")}
            <br />
            <select name="benefitType">
              <option value="cash">{t("programmes.cash")}</option>
              <option value="inkind">{t("programmes.inkind")}</option>
              <option value="voucher">{t("programmes.voucher")}</option>
            </select>
          </label>
          <label>
            {t("programmes.currency")}
            <br />
            <input name="currency" size={4} placeholder="KES" />
          </label>
          <label>
            {t("programmes.item")}
            <br />
            <input name="item" />
          </label>
          <label>
            {t("programmes.unit")}
            <br />
            <input name="unit" size={6} placeholder="kg" />
          </label>
          <label>
            {t("programmes.description")}
            <br />
            <input name="description" />
          </label>
          <label>
            {t("programmes.area")}
            <br />
            <input name="area" size={10} />
          </label>
          <label>
            {t("programmes.contact")}
            <br />
            <input name="contact" placeholder={t("programmes.contactPlaceholder")} />
          </label>
          <label>
            {t("programmes.redemption")}
            <br />
            <select name="redemption">
              <option value="single">{t("programmes.single")}</option>
              <option value="partial">{t("programmes.partial")}</option>
            </select>
          </label>
        </div>
        <button type="submit">{t("programmes.create")}</button>
      </form>
    </>
  );
}
