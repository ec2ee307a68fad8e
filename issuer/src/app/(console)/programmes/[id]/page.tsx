import Link from "next/link";
import { notFound } from "next/navigation";
import { getServerContext } from "@/server/context";
import { pageI18n, requirePageSession } from "@/server/web/page-session";
import { parseRuleForm, RULE_ROWS } from "@/server/web/form-parsers";
import { previewEligibility } from "@/server/cycles/preview-eligibility";
import { readProgramme } from "@/server/programmes/read-programme";
import { createCycleAction, saveProgrammeContactAction, saveProgrammeIdBindingAction } from "@/app/actions";

type Search = Record<string, string | undefined>;

export default async function ProgrammePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const session = await requirePageSession();
  const { t } = await pageI18n();
  const { id } = await params;
  const q = await searchParams;
  const ctx = getServerContext();
  const programme = await readProgramme(ctx, id);
  if (!programme) notFound();
  let preview: number | null = null;
  let previewError = false;
  if (q.intent === "preview") {
    preview = await previewEligibility(ctx, id, parseRuleForm(new URLSearchParams(q as Record<string, string>))).catch(() => {
      previewError = true;
      return null;
    });
  }
  const fields = ["householdSize", "povertyScore", "area"];
  const ops = ["gte", "gt", "lte", "lt", "eq", "neq", "in"];
  const opLabel: Record<string, string> = { gte: "≥", gt: ">", lte: "≤", lt: "<", eq: "=", neq: "≠", in: "∈" };
  return (
    <>
      <h1>
        {programme.name} <span className="muted mono">{programme.code}</span>
      </h1>
      <p>
        {t(`programmes.${programme.benefitType}`)} {programme.currency ?? ""} {programme.item ? `${programme.item} (${programme.unit})` : ""}{" "}
        {programme.area ? `· ${t("programmes.area")} ${programme.area}` : ""}
      </p>
      {q.error ? <p className="error" role="alert">{t(`errors.${q.error}`)}</p> : null}
      <form className="card" action={saveProgrammeContactAction}>
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <input type="hidden" name="programmeId" value={programme.id} />
        <label>
          {t("programmes.contact")}
          <br />
          <input name="contact" defaultValue={programme.contact ?? ""} size={50} placeholder={t("programmes.contactPlaceholder")} />
        </label>{" "}
        <button type="submit">{t("programmes.saveContact")}</button>
        <p className="muted">{t("programmes.contactHelp")}</p>
      </form>
      <form className="card" action={saveProgrammeIdBindingAction} id="id-binding">
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <input type="hidden" name="programmeId" value={programme.id} />
        <label>
          {t("programmes.idBinding")}
          <br />
          <select name="mode" defaultValue={programme.idBinding}>
            <option value="off">{t("programmes.idBindingOff")}</option>
            <option value="refuse">{t("programmes.idBindingRefuse")}</option>
            <option value="visual-check">{t("programmes.idBindingVisual")}</option>
          </select>
        </label>{" "}
        <button type="submit">{t("programmes.saveIdBinding")}</button>
        <p className="muted">{t("programmes.idBindingHelp")}</p>
      </form>
      <h2>{t("programmes.cycles")}</h2>
      <table>
        <thead>
          <tr>
            <th>{t("cycles.code")}</th>
            <th>{t("cycles.validFrom")}</th>
            <th>{t("cycles.validUntil")}</th>
            <th>{t("cycles.state")}</th>
          </tr>
        </thead>
        <tbody>
          {programme.cycles.map((c) => (
            <tr key={c.id}>
              <td>
                <Link href={`/cycles/${c.id}`}>{c.code}</Link>
              </td>
              <td>{c.validFrom.toISOString().slice(0, 10)}</td>
              <td>{c.validUntil.toISOString().slice(0, 10)}</td>
              <td>{t(`cycles.${c.state}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="card" action={createCycleAction}>
        <h2>{t("cycles.new")}</h2>
        <input type="hidden" name="csrf" value={session.csrfToken} />
        <input type="hidden" name="programmeId" value={programme.id} />
        <div className="row">
          <label>
            {t("cycles.code")}
            <br />
            <input name="code" required defaultValue={q.code ?? ""} placeholder="2027-03" />
          </label>
          <label>
            {t("cycles.validFrom")}
            <br />
            <input name="validFrom" type="date" required defaultValue={q.validFrom ?? ""} />
          </label>
          <label>
            {t("cycles.validUntil")}
            <br />
            <input name="validUntil" type="date" required defaultValue={q.validUntil ?? ""} />
          </label>
          {programme.benefitType === "inkind" ? (
            <label>
              {t("cycles.quantity")}
              <br />
              <input name="quantity" inputMode="decimal" defaultValue={q.quantity ?? ""} />
            </label>
          ) : (
            <label>
              {t("cycles.amount")}
              <br />
              <input name="amount" inputMode="decimal" defaultValue={q.amount ?? ""} />
            </label>
          )}
        </div>
        <h3>{t("cycles.rule")}</h3>
        <p className="muted">{t("cycles.ruleHelp")}</p>
        {Array.from({ length: RULE_ROWS }, (_, i) => (
          <div className="row" key={i}>
            <select name={`field${i}`} defaultValue={q[`field${i}`] ?? ""} aria-label={t("cycles.field")}>
              <option value="">—</option>
              {fields.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
            <select name={`op${i}`} defaultValue={q[`op${i}`] ?? "gte"} aria-label={t("cycles.op")}>
              {ops.map((o) => (
                <option key={o} value={o}>
                  {opLabel[o]}
                </option>
              ))}
            </select>
            <input name={`value${i}`} defaultValue={q[`value${i}`] ?? ""} aria-label={t("cycles.value")} />
          </div>
        ))}
        {preview !== null ? <p className="ok" aria-live="polite">{t("cycles.qualify", { count: preview })}</p> : null}
        {previewError ? <p className="error">{t("errors.ERR_BAD_REQUEST")}</p> : null}
        <div className="row">
          <button className="secondary" type="submit" name="intent" value="preview">
            {t("cycles.preview")}
          </button>
          <button type="submit" name="intent" value="prepare">
            {t("cycles.prepare")}
          </button>
        </div>
      </form>
    </>
  );
}
