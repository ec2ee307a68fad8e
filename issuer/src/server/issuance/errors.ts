/**
 * How a bulk issuance run stops early. The steps throw these; `runIssuanceJob` turns them into its
 * result ("lost-lease", "aborted"), so no step has to pass an exit up by hand.
 */

export type IssuanceJobErrorCode = "ERR_ISSUANCE_LEASE_LOST" | "ERR_ISSUANCE_ABORTED";

/** Another worker took the job over (this worker's lease ran out): stop writing at once. */
export class IssuanceLeaseLostError extends Error {
  static readonly code = "ERR_ISSUANCE_LEASE_LOST";
  readonly code = IssuanceLeaseLostError.code;
  constructor(options?: { cause?: unknown }) {
    super("Another worker holds this issuance job now.", options);
    this.name = "IssuanceLeaseLostError";
  }
}

/** The worker was told to stop (its signal fired); the job resumes from its cursor later. */
export class IssuanceAbortedError extends Error {
  static readonly code = "ERR_ISSUANCE_ABORTED";
  readonly code = IssuanceAbortedError.code;
  constructor(options?: { cause?: unknown }) {
    super("The issuance worker was stopped; the job resumes where it left off.", options);
    this.name = "IssuanceAbortedError";
  }
}
