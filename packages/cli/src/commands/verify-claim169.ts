/**
 * `haki verify` for MOSIP Claim 169 identity QR payloads: checked offline against the identity
 * issuers (national ID authorities) of `--identity-trust`, a JSON file with `identityIssuers` (a
 * trust bundle holding them will do). Prints the person's details for the visual check.
 */
import { decodeClaim169, isClaim169Failure, type DecodedClaim169 } from "@haki/claim169/decode";
import { Claim169Error } from "@haki/claim169/errors";
import { IdentityTrustList } from "@haki/claim169/trust";
import { verifyClaim169, type VerifiedClaim169 } from "@haki/claim169/verify";
import { CliUsageError } from "../errors";
import { readJson } from "../files";
import { EXIT_INVALID, EXIT_OK, type CliIo } from "../io";

export type Claim169Input = { decoded: DecodedClaim169 } | { error: Claim169Error };

/**
 * Whether the text is a Claim 169 QR payload (possibly one that fails, e.g. encrypted); undefined
 * for anything else. Base45 has a space in its alphabet, so only line endings are removed.
 */
export async function readClaim169(raw: string): Promise<Claim169Input | undefined> {
  const text = raw.replace(/^[\r\n]+|[\r\n]+$/g, "");
  if (text.startsWith("HK") || /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text.trim())) return undefined;
  try {
    return { decoded: await decodeClaim169(text) };
  } catch (e) {
    return isClaim169Failure(e) ? { error: e } : undefined;
  }
}

const base64 = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""));

function report(v: VerifiedClaim169): Record<string, unknown> {
  const { biometrics, photo, unknownFields, invalidFields, binaryImage: _image, ...identity } = v.identity;
  return {
    valid: true,
    kind: "identity",
    format: "claim169",
    issuer: v.issuer,
    key: v.key,
    identity,
    ...(photo ? { photo: { mediaType: photo.mediaType ?? null, source: photo.source, base64: base64(photo.data) } } : {}),
    biometrics: Object.fromEntries(Object.entries(biometrics).map(([part, list]) => [part, list!.map((b) => ({ format: b.format ?? b.formatCode, subFormat: b.subFormat ?? b.subFormatCode, bytes: b.data.length }))])),
    unknownFields: unknownFields.map((f) => f.key),
    invalidFields: invalidFields.map((f) => ({ key: f.key, name: f.name, reason: f.reason })),
    ...(v.cwt.issuedAt ? { issuedAt: v.cwt.issuedAt.toISOString() } : {}),
    ...(v.cwt.notBefore ? { validFrom: v.cwt.notBefore.toISOString() } : {}),
    ...(v.cwt.expiresAt ? { validUntil: v.cwt.expiresAt.toISOString() } : {}),
  };
}

/** Verifies a Claim 169 payload already read by `readClaim169`; prints JSON; exit 0 valid, 1 not. */
export async function verifyClaim169Command(input: Claim169Input, trustPath: string | undefined, now: Date, io: CliIo): Promise<number> {
  if (trustPath === undefined) {
    throw new CliUsageError("This is a Claim 169 ID QR code: give the ID authorities' keys with --identity-trust FILE.");
  }
  const trust = await readJson(trustPath, IdentityTrustList, "config", "identity trust list ({ identityIssuers: [...] })", io);
  try {
    if ("error" in input) throw input.error;
    const verified = await verifyClaim169(input.decoded, trust, { now });
    io.stdout(JSON.stringify(report(verified), null, 2) + "\n");
    return EXIT_OK;
  } catch (e) {
    if (!(e instanceof Claim169Error)) throw e;
    io.stdout(JSON.stringify({ valid: false, kind: "identity", format: "claim169", code: e.code, reason: e.message }, null, 2) + "\n");
    return EXIT_INVALID;
  }
}
