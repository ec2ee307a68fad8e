/**
 * The form for a DCI Social Registry source (new or existing). The access token is write-only:
 * the form shows whether one is stored (and its last characters), never the token itself.
 */
import type { DciSourceView } from "@/server/registry/dci-source";
import type { pageI18n } from "@/server/web/page-session";
import { formatMappingText } from "@/server/web/form-parsers";
import { saveDciSourceAction } from "@/app/actions";

const EXAMPLE_QUERY = '[{"seq_num":1,"expression1":{"attribute_name":"poverty_score","operator":"lt","attribute_value":30}}]';
const EXAMPLE_MAPPING = "group_identifier = registryId\ngroup_head_info.demographic_info.name = name\ngroup_size = householdSize\npoverty_score = povertyScore";

export function DciSourceForm(props: {
  csrf: string;
  t: Awaited<ReturnType<typeof pageI18n>>["t"];
  source?: { id: string; name: string; view: DciSourceView };
}) {
  const { t, source } = props;
  const c = source?.view.config;
  return (
    <form action={saveDciSourceAction} className="dci-source">
      <input type="hidden" name="csrf" value={props.csrf} />
      {source ? <input type="hidden" name="id" value={source.id} /> : null}
      <label>
        {t("imports.name")} <input name="name" defaultValue={source?.name} required />
      </label>
      <label>
        {t("imports.dciBaseUrl")} <input name="baseUrl" type="url" defaultValue={c?.baseUrl} placeholder="https://sr.example.gov/api" required />
      </label>
      <div className="row">
        <label>
          {t("imports.dciSenderId")} <input name="senderId" defaultValue={c?.senderId} required />
        </label>
        <label>
          {t("imports.dciReceiverId")} <input name="receiverId" defaultValue={c?.receiverId} required />
        </label>
      </div>
      <div className="row">
        <label>
          {t("imports.dciRecordType")}{" "}
          <select name="recordType" defaultValue={c?.recordType ?? "Group"}>
            <option value="Group">{t("imports.dciGroup")}</option>
            <option value="Person">{t("imports.dciPerson")}</option>
          </select>
        </label>
        <label>
          {t("imports.dciQueryType")}{" "}
          <select name="queryType" defaultValue={c?.query.queryType ?? "predicate"}>
            <option value="idtype-value">idtype-value</option>
            <option value="expression">expression</option>
            <option value="predicate">predicate</option>
          </select>
        </label>
        <label>
          {t("imports.dciPageSize")} <input name="pageSize" type="number" min={1} max={10000} defaultValue={c?.pageSize ?? 500} />
        </label>
        <label>
          {t("imports.dciLocale")} <input name="locale" defaultValue={c?.locale ?? "eng"} pattern="[a-z]{3}" size={4} />
        </label>
      </div>
      <label>
        {t("imports.dciQuery")}
        <textarea name="query" defaultValue={c ? JSON.stringify(c.query.query) : undefined} placeholder={EXAMPLE_QUERY} required />
      </label>
      <p className="muted">{t("imports.dciQueryHelp")}</p>
      <label>
        {t("imports.dciMapping")}
        <textarea name="mapping" defaultValue={source ? formatMappingText(source.view.mapping) : undefined} placeholder={EXAMPLE_MAPPING} required />
      </label>
      <p className="muted">{t("imports.dciMappingHelp")}</p>
      <label>
        {t("imports.dciJwksUrl")} <input name="jwksUrl" type="url" defaultValue={c?.jwksUrl} />
      </label>
      <label>
        {t("imports.dciToken")} <input name="token" type="password" autoComplete="off" defaultValue="" />
      </label>
      {source ? (
        <p className="muted">
          {source.view.tokenHint ? t("imports.dciTokenStored", { hint: source.view.tokenHint }) : t("imports.dciTokenNone")}
          {source.view.tokenHint ? (
            <label>
              <input type="checkbox" name="clearToken" /> {t("imports.dciClearToken")}
            </label>
          ) : null}
        </p>
      ) : null}
      <button className={source ? "secondary" : undefined} type="submit">
        {t("imports.save")}
      </button>
    </form>
  );
}
