/**
 * The two ways a command fails, mapped onto exit codes by `main`:
 * - usage (exit 2): the command could not run as asked: unknown command or option, a missing
 *   argument, a file that cannot be read, a key file or trust list that is malformed;
 * - invalid input (exit 1): the data the command was asked to process is wrong: the credential to
 *   verify, the entitlement to issue, the status list to update.
 */
import { HakiCredentialError } from "@haki/credentials/errors";

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

/**
 * Runs `work` and reports a credential library refusal (bad input, wrong key) as invalid input,
 * with the library's code in the message and the error as `cause`.
 *
 * @example
 * const jwt = await asInputError(() => signCredential(input, key));
 */
export async function asInputError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    if (cause instanceof HakiCredentialError) throw new CliInputError(`${cause.message} (${cause.code})`, { cause });
    throw cause;
  }
}
