/**
 * The two ways a command fails, mapped onto exit codes by `main`:
 * - usage (exit 2): the command could not run as asked: unknown command or option, a missing
 *   argument, a file that cannot be read, a key file or trust list that is malformed;
 * - invalid input (exit 1): the data the command was asked to process is wrong: the credential to
 *   verify, the entitlement to issue, the status list to update.
 */
export type CliErrorCode = "ERR_CLI_USAGE" | "ERR_CLI_INVALID_INPUT";

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class CliUsageError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_CLI_USAGE", message, options);
  }
}

export class CliInputError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ERR_CLI_INVALID_INPUT", message, options);
  }
}
