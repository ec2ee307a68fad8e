/**
 * What a console form's server action answers when it does not move on (React's useActionState):
 * the values as typed (so nothing is lost), an error per field (an i18n key, shown next to the
 * field in the reader's language) and the error of the form as a whole (an error code).
 */
import { ZodError } from "zod";
import { ApiError } from "@/server/api/errors";
import { emptyForm, type FormState } from "./form-shape";

export { emptyForm, type FormState } from "./form-shape";

/** The string values of a form. */
export function formValues(form: FormData, omit: string[] = ["csrf"]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !k.startsWith("$") && !omit.includes(k)) out[k] = v;
  return out;
}

/** The i18n key of one validation problem. Refinements may name their own key ("form.needsCurrency"). */
function issueKey(issue: ZodError["issues"][number]): string {
  if (issue.message.startsWith("form.")) return issue.message;
  switch (issue.code) {
    case "too_small":
      return issue.origin === "string" && issue.minimum === 1 ? "form.required" : "form.tooSmall";
    case "too_big":
      return "form.tooBig";
    case "invalid_format":
      return "form.invalidFormat";
    case "invalid_value":
      return "form.choose";
    case "invalid_type":
      return issue.input === undefined || issue.input === "" ? "form.required" : "form.invalid";
    default:
      return "form.invalid";
  }
}

/**
 * Runs a form's domain call and turns a refusal into the form's state: validation problems per
 * field (the first one of each), a known error as the form's code. Unknown errors are thrown.
 *
 * @example
 * return formAction(form, async () => { await createProgramme(ctx, input, actor); redirect("/programmes"); });
 */
export async function formAction(form: FormData, body: () => Promise<FormState | void>, options: { omit?: string[]; fieldOf?: (path: string) => string } = {}): Promise<FormState> {
  const values = formValues(form, ["csrf", ...(options.omit ?? [])]);
  try {
    return (await body()) ?? emptyForm(values);
  } catch (e) {
    if (e instanceof ZodError) {
      const fields: Record<string, string> = {};
      for (const issue of e.issues) {
        const path = issue.path.map(String).join(".");
        const field = options.fieldOf ? options.fieldOf(path) : (issue.path[0]?.toString() ?? "");
        fields[field] ??= issueKey(issue);
      }
      return { values, fields, code: "ERR_BAD_REQUEST" };
    }
    if (e instanceof ApiError) return { values, fields: {}, code: e.code };
    throw e;
  }
}
