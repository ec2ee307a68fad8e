/** Test helpers: the `code` of the StatusListError a call throws, so tests assert on codes, not messages. */
import { StatusListError } from "../src/errors";

/** The code `fn` throws, or undefined when it returns; any other error fails the test. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusListError) return e.code;
    throw e;
  }
  return undefined;
}

/** Like {@link codeOf} for a call that may return a promise. */
export async function codeOfAsync(fn: () => unknown): Promise<string | undefined> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof StatusListError) return e.code;
    throw e;
  }
  return undefined;
}
