/**
 * How server actions answer. A form that posts and moves on (`runAction`) goes back to its page
 * with `?error=CODE`; a console widget that shows what came back (a token, a set-up code, an
 * offer) gets an `ActionResult` (`actionResult`).
 */
import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { ApiError, describeError, type ErrorCode } from "@/server/api/errors";

/** What a server action called from a console widget answers. */
export type ActionResult<T> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

/**
 * Runs a server action body for a widget: its value, or the failure in the API's words
 * (`describeError`; an internal failure is logged and answered as ERR_INTERNAL).
 *
 * @example
 * return actionResult(() => createSetupCode(ctx, id, actor)); // { ok: true, value: { setupCode, expiresAt } }
 */
export async function actionResult<T>(body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, value: await body() };
  } catch (e) {
    const { code, message, internal } = describeError(e);
    if (internal) console.error("issuer: unexpected error in a server action", e);
    return { ok: false, code, message };
  }
}

/**
 * Runs a server action body; on a known failure, sends the person back to `back` with the error
 * code in the query string (the page shows it translated). Unknown errors are rethrown.
 *
 * @example
 * await runAction(`/cycles/${id}`, () => approveCycle(ctx, id, session.actor));
 */
export async function runAction(back: string, body: () => Promise<unknown>): Promise<void> {
  let code: string | undefined;
  try {
    await body();
  } catch (e) {
    if (e instanceof ApiError) code = e.code;
    else if (e instanceof ZodError) code = "ERR_BAD_REQUEST";
    else throw e;
  }
  if (code) redirect(`${back}${back.includes("?") ? "&" : "?"}error=${code}`);
}
