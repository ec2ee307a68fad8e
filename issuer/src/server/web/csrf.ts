import type { SessionInfo } from "@/server/auth/sessions";
import { ApiError } from "@/server/api/errors";
import { safeEqual } from "@/server/lib/hash";

/**
 * Throws ERR_CSRF unless the form's `csrf` field is the session's token (console forms carry it
 * in a hidden field).
 *
 * @example
 * checkFormCsrf(form, session);
 */
export function checkFormCsrf(form: FormData, session: SessionInfo): void {
  const sent = form.get("csrf");
  if (typeof sent !== "string" || !safeEqual(sent, session.csrfToken)) {
    throw new ApiError("ERR_CSRF", "This form has expired; reload the page and try again.");
  }
}
