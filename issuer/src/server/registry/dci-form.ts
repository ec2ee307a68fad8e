/**
 * The console's DCI source form -> saveDciSource input (validated again there by the connector's
 * own schema).
 */
import type { z } from "zod";
import { ApiError } from "@/server/api/errors";
import { parseMappingText } from "@/server/web/form-parsers";
import type { SaveDciSourceInput } from "./dci-source";

type FormLike = { get(name: string): unknown };

const text = (f: FormLike, k: string): string | undefined => {
  const v = f.get(k);
  return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
};

/**
 * Reads the form. The query is JSON as DCI writes it: `{"type":"UIN","value":"123"}` for
 * idtype-value, `{"type":"ns:org:QueryType:expression","value":{...}}` for expression, a list of
 * `{expression1, condition?, expression2?}` for predicate.
 *
 * @example
 * parseDciSourceForm(formData); // { name, config: { baseUrl, ..., query: { queryType, query } }, mapping, token }
 */
export function parseDciSourceForm(form: FormLike): z.input<typeof SaveDciSourceInput> {
  const queryText = text(form, "query") ?? "";
  let query: unknown;
  try {
    query = JSON.parse(queryText);
  } catch (cause) {
    throw new ApiError("ERR_BAD_REQUEST", "The search query is not valid JSON.", { cause });
  }
  const number = (k: string) => {
    const v = text(form, k);
    return v === undefined ? undefined : Number(v);
  };
  const config: Record<string, unknown> = {
    baseUrl: text(form, "baseUrl"),
    senderId: text(form, "senderId"),
    receiverId: text(form, "receiverId"),
    registryType: text(form, "registryType"),
    recordType: text(form, "recordType"),
    regEventType: text(form, "regEventType"),
    query: { queryType: text(form, "queryType"), query },
    pageSize: number("pageSize"),
    locale: text(form, "locale"),
    jwksUrl: text(form, "jwksUrl"),
  };
  for (const k of Object.keys(config)) if (config[k] === undefined) delete config[k];
  return {
    id: text(form, "id"),
    name: text(form, "name") ?? "",
    config,
    mapping: parseMappingText(text(form, "mapping") ?? ""),
    token: text(form, "token"),
    clearToken: form.get("clearToken") === "on",
  };
}
