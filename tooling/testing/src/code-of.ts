/**
 * The `code` of the error a call throws, so tests assert on stable codes, never on message text
 * (docs/style: "tests assert on `code`"). One helper for every package's tests.
 */

/** An error class whose instances carry a string `code` (HakiQrError, StatusListError, ...). */
type CodedErrorClass = abstract new (...args: never[]) => { code: string };

/**
 * The `code` of what `work` throws (or rejects with), `undefined` when it succeeds. A thrown value
 * without a string `code`, or not an instance of `only` when that is given, is thrown again: a
 * foreign error fails the test instead of passing as "some code".
 *
 * @example
 * expect(codeOf(() => decodeProof("HK2:%%"), HakiQrError)).toBe("ERR_QR_CORRUPT");
 * expect(await codeOf(readBackup(text, "wrong", { app }))).toBe("ERR_BACKUP_PASSWORD");
 * expect(await codeOf(() => fetchList(url))).toBeUndefined();
 */
export function codeOf(work: PromiseLike<unknown>, only?: CodedErrorClass): Promise<string | undefined>;
export function codeOf(work: () => PromiseLike<unknown>, only?: CodedErrorClass): Promise<string | undefined>;
export function codeOf(work: () => unknown, only?: CodedErrorClass): string | undefined;
export function codeOf(work: PromiseLike<unknown> | (() => unknown), only?: CodedErrorClass): string | undefined | Promise<string | undefined> {
  let result: unknown;
  try {
    result = typeof work === "function" ? work() : work;
  } catch (e) {
    return codeOfThrown(e, only);
  }
  if (isThenable(result)) {
    return Promise.resolve(result).then(
      () => undefined,
      (e: unknown) => codeOfThrown(e, only),
    );
  }
  return undefined;
}

function codeOfThrown(e: unknown, only: CodedErrorClass | undefined): string {
  if (only && !(e instanceof only)) throw e;
  const code = typeof e === "object" && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== "string") throw e;
  return code;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === "object" && v !== null && typeof (v as { then?: unknown }).then === "function";
}
