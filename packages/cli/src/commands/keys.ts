/**
 * `haki keys new`: a new Ed25519 key pair in a key file (mode 0600), named by did:key, did:jwk or an
 * issuer's did:web. Prints the public part, and for did:web the DID document to publish.
 */
import { buildDidWebDocument, didWebUrl } from "@haki/credentials/did";
import { exportPrivateJwk, generateKeyPair, withIdentifier } from "@haki/credentials/keys";
import { flag, optional, parse, required } from "../args";
import { CliUsageError } from "../errors";
import { KEY_FILE_TYPE, canIssue, writeFileSafely, type KeyFile } from "../files";
import { answerGroupHelp, EXIT_OK, type CliIo } from "../io";

export const KEYS_HELP = `Usage: haki keys new --out FILE [--did-web DOMAIN | --did-jwk] [--force]

Creates an Ed25519 key pair and writes it to FILE (readable by you only).
  --out FILE         where to write the key file (refuses to replace one unless --force)
  --did-web DOMAIN   name the key by did:web:DOMAIN (an issuer's production DID), key id "key-1";
                     DOMAIN may carry a path (example.org:issuers:1) or be a full did:web
  --did-jwk          name the key by did:jwk (default: did:key)
Prints the DID, key id and public JWK as JSON (and the did.json to publish for did:web).
`;

/** Turns "example.org", "example.org:issuers:1" or "did:web:example.org" into a did:web. */
function didWebFrom(value: string): string {
  const did = value.startsWith("did:web:") ? value : `did:web:${value}`;
  const host = did.slice("did:web:".length).split(":")[0] ?? "";
  if (!canIssue(did) || !/^[A-Za-z0-9.-]+(%3A\d+)?$/.test(host) || !host.includes(".") && !host.startsWith("localhost")) {
    throw new CliUsageError(`--did-web needs a domain name such as example.org, not "${value}".`);
  }
  return did;
}

export async function keysCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  const answered = answerGroupHelp(sub, KEYS_HELP, io);
  if (answered !== undefined) return answered;
  if (sub !== "new") throw new CliUsageError(`Unknown command: haki keys ${sub}. Try: haki keys new --out key.json`);
  const p = parse(rest, {
    out: { type: "string" },
    "did-web": { type: "string" },
    "did-jwk": { type: "boolean" },
    force: { type: "boolean" },
  });
  if (flag(p, "help")) {
    io.stdout(KEYS_HELP);
    return EXIT_OK;
  }
  const out = required(p, "out");
  const domain = optional(p, "did-web");
  if (domain !== undefined && flag(p, "did-jwk")) throw new CliUsageError("Choose one of --did-web and --did-jwk.");
  const didWeb = domain === undefined ? undefined : didWebFrom(domain);

  let pair = await generateKeyPair({ method: flag(p, "did-jwk") ? "jwk" : "key" });
  if (didWeb) pair = withIdentifier(pair, didWeb, "key-1");
  const file: KeyFile = {
    type: KEY_FILE_TYPE,
    did: pair.did,
    kid: pair.kid,
    publicJwk: pair.publicJwk,
    privateJwk: await exportPrivateJwk(pair),
    createdAt: io.now().toISOString(),
  };
  await writeFileSafely(out, JSON.stringify(file, null, 2) + "\n", { mode: 0o600, exclusive: !flag(p, "force") });

  const summary: Record<string, unknown> = { did: pair.did, kid: pair.kid, publicJwk: pair.publicJwk, file: out };
  if (didWeb) {
    summary.didDocument = buildDidWebDocument({ did: didWeb, keys: [{ id: "key-1", publicKeyJwk: pair.publicJwk }] });
    summary.publishAt = didWebUrl(didWeb);
  }
  io.stdout(JSON.stringify(summary, null, 2) + "\n");
  return EXIT_OK;
}
