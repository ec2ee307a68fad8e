/**
 * The state a console form keeps between a refused submission and the next (client and server
 * share it; no server imports here).
 */
import type { ErrorCode } from "@/server/api/errors";

export interface FormState {
  /** The form's values as sent (never secrets: passwords and tokens are left out by the caller). */
  values: Record<string, string>;
  /** Per field: the i18n key of what is wrong ("form.required", "form.tooBig", ...). */
  fields: Record<string, string>;
  /** The whole form's error code, translated as errors.<code>. */
  code?: ErrorCode;
  /** A result to show (a preview, the PIN of a new offer, ...). */
  ok?: Record<string, unknown>;
}

/** A form's fresh state. */
export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, fields: {} });
