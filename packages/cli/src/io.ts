/**
 * What the CLI needs from the outside world, passed in so tests can run every command as a plain
 * function call: output streams, standard input and the clock. Files are read and written with
 * node:fs (the CLI is Node-only), in paths the caller chooses.
 */
import { CliUsageError } from "./errors";

export interface CliIo {
  /** Writes to standard output (results: JSON, JWTs). */
  stdout(text: string): void;
  /** Writes to standard error (errors and notes for people). */
  stderr(text: string): void;
  /** Reads all of standard input as UTF-8. */
  readStdin(): Promise<string>;
  /** The current time (tests freeze it). */
  now(): Date;
}

/**
 * The real process: stdout, stderr, stdin and the system clock.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), nodeIo());
 */
export function nodeIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: readProcessStdin,
    now: () => new Date(),
  };
}

/** Exit codes: 0 success (or a valid credential), 1 invalid input, 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_INVALID = 1;
export const EXIT_USAGE = 2;

/**
 * Answers a command group called without a subcommand (help on stderr, exit 2) or with a help word
 * (help on stdout, exit 0); undefined means run the subcommand.
 *
 * @example
 * const answered = answerGroupHelp(sub, KEYS_HELP, io);
 * if (answered !== undefined) return answered;
 */
export function answerGroupHelp(sub: string | undefined, help: string, io: CliIo): number | undefined {
  if (sub === undefined) {
    io.stderr(help);
    return EXIT_USAGE;
  }
  if (sub === "--help" || sub === "-h" || sub === "help") {
    io.stdout(help);
    return EXIT_OK;
  }
  return undefined;
}

async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new CliUsageError("Give a file name, or pipe the input in (standard input is a terminal).");
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
