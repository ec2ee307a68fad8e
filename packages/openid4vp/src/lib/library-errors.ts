// Turns what @openid4vc throws into this package's coded errors, keeping it as the cause.
import { Openid4vpError, type Openid4vpErrorCode } from "../errors";

export function describe(error: unknown): string {
  if (error instanceof Error) {
    const body = (error as { errorResponse?: { error_description?: string } }).errorResponse?.error_description;
    return body ?? error.message;
  }
  return String(error);
}

/** Runs a library step; anything but an `Openid4vpError` becomes `code`, with the library's words as detail. */
export async function step<T>(code: Openid4vpErrorCode, run: () => Promise<T> | T, refine?: (detail: string) => Openid4vpErrorCode | undefined): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    if (cause instanceof Openid4vpError) throw cause;
    const detail = describe(cause);
    const error = new Openid4vpError(refine?.(detail) ?? code, undefined, { cause });
    (error as { detail?: string }).detail = detail;
    throw error;
  }
}
