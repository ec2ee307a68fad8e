/**
 * The `haki` command as a function: `main(argv, io)` returns the exit code, so every command runs
 * in tests without a child process. src/main.ts wires it to the real process.
 *
 * Exit codes: 0 success (for verify: valid), 1 invalid input (for verify: not valid),
 * 2 bad usage (unknown command or option, missing argument, unreadable or malformed key, trust
 * list or status list folder).
 */
import { issueCommand, presentCommand, trustCommand } from "./commands/issue";
import { keysCommand } from "./commands/keys";
import { statusCommand } from "./commands/status";
import { verifyCommand } from "./commands/verify";
import { CliError } from "./errors";
import { EXIT_INVALID, EXIT_OK, EXIT_USAGE, type CliIo } from "./io";

export { nodeIo, type CliIo } from "./io";

export const HELP = `Usage: haki <command> [options]

Commands:
  keys new       create an Ed25519 key pair (did:key, did:jwk or did:web)
  trust new|add  write a trust list that accepts an issuer key, or add one to it
  issue          sign an entitlement credential (VC-JWT or QR payload)
  present        sign a holder's presentation of a credential
  verify         verify a credential, presentation or QR payload; prints JSON
  status         create, change, sign and show revocation and suspension lists

Run "haki <command> --help" for its options.
Exit codes: 0 success or valid, 1 invalid input, 2 bad usage.
`;

const COMMANDS: Record<string, (argv: string[], io: CliIo) => Promise<number>> = {
  keys: keysCommand,
  trust: trustCommand,
  issue: issueCommand,
  present: presentCommand,
  verify: verifyCommand,
  status: statusCommand,
};

/**
 * Runs one haki command.
 *
 * @example
 * const code = await main(["verify", "card.jwt", "--trust", "trust.json"], nodeIo());
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    io.stdout(HELP);
    return EXIT_OK;
  }
  if (command === undefined) {
    io.stderr(HELP);
    return EXIT_USAGE;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.stderr(`haki: unknown command "${command}".\n\n${HELP}`);
    return EXIT_USAGE;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr(`haki ${command}: ${error.message}\n`);
      return error.code === "ERR_CLI_USAGE" ? EXIT_USAGE : EXIT_INVALID;
    }
    // A bug, not a user error: say so plainly, with the stack for a report.
    io.stderr(`haki ${command}: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_USAGE;
  }
}
