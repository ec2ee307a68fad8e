import { redirect } from "next/navigation";
import { ZodError } from "zod";
import { ApiError } from "@/server/api/errors";

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
