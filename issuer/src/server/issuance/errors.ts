/**
 * How a bulk issuance run stops early. The steps throw these; `runIssuanceJob` turns them into its
 * result ("lost-lease", "aborted"), so no step has to pass an exit up by hand.
 */

export type IssuanceJobErrorCode = "ERR_ISSUANCE_LEASE_LOST" | "ERR_ISSUANCE_ABORTED";

/** Base class: a run of an issuance job stopped before the end, with a stable `code`. */
export class IssuanceJobError extends Error {
  constructor(
    readonly code: IssuanceJobErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Another worker took the job over (this worker's lease ran out): stop writing at once. */
export class IssuanceLeaseLostError extends IssuanceJobError {
  constructor(options?: { cause?: unknown }) {
    super("ERR_ISSUANCE_LEASE_LOST", "Another worker holds this issuance job now.", options);
  }
}

/** The worker was told to stop (its signal fired); the job resumes from its cursor later. */
export class IssuanceAbortedError extends IssuanceJobError {
  constructor(options?: { cause?: unknown }) {
    super("ERR_ISSUANCE_ABORTED", "The issuance worker was stopped; the job resumes where it left off.", options);
  }
}
