import type { SessionInfo } from "@/server/auth/sessions";
import { ApiError } from "@/server/api/errors";
import { safeEqual } from "@/server/lib/hash";

/**
 * Throws ERR_CSRF unless `sent` (a form with its hidden `csrf` field, or the token itself) is the
 * session's token.
 *
 * @example
 * checkCsrf(form, session);
 */
export function checkCsrf(sent: FormData | string, session: SessionInfo): void {
  const token = typeof sent === "string" ? sent : sent.get("csrf");
  if (typeof token !== "string" || !safeEqual(token, session.csrfToken)) {
    throw new ApiError("ERR_CSRF", "This form has expired; reload the page and try again.");
  }
}
