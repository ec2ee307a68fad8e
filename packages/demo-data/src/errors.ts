/** Failure codes of the demo-data package. */
export type DemoDataErrorCode = "ERR_DEMO_DATA_OPTIONS";

/**
 * Bad options given to a generator or writer (a seed out of range, an empty country mix...).
 *
 * @example
 * try { [...generateRegistry({ households: -1, seed: 1 })]; }
 * catch (e) { if (e instanceof DemoDataError && e.code === "ERR_DEMO_DATA_OPTIONS") usage(); }
 */
export class DemoDataError extends Error {
  readonly code: DemoDataErrorCode;
  constructor(code: DemoDataErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DemoDataError";
    this.code = code;
  }
}
