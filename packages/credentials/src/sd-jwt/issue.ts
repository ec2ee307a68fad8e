/** The issuer's side of an SD-JWT VC entitlement: one signature, every disclosure. */
import { SDJwtVcInstance, type SdJwtVcPayload } from "@sd-jwt/sd-jwt-vc";
import type { DisclosureFrame } from "@sd-jwt/types";
import * as z from "zod";
import { didWebForUrl, publicJwkFromDid } from "../did";
import { InputInvalidError, KeyInvalidError, KeyMismatchError } from "../errors";
import type { SigningKey } from "../keys";
import { Ed25519PublicJwk } from "../lib/jwk";
import { hasher, saltGenerator, seconds, signerFor } from "../lib/sd-jwt-crypto";
import { EntitlementSubject, HolderDid } from "../model";
import { ENTITLEMENT_VCT, SELECTIVELY_DISCLOSABLE } from "./constants";

export const SdJwtIssueInput = z.object({
  /** The issuer's public URL (its `iss`): https, or http on the machine itself. */
  issuerUrl: z.url().refine((u) => !u.endsWith("/"), "no trailing slash"),
  /** The holder's key: its DID (did:key / did:jwk) or its public JWK. */
  holder: z.union([HolderDid, Ed25519PublicJwk]),
  subject: EntitlementSubject,
  validFrom: z.coerce.date(),
  validUntil: z.coerce.date(),
  /** Where the Token Status List is published and this credential's index in it. */
  status: z.object({ uri: z.url(), index: z.number().int().nonnegative().max(2 ** 31 - 1) }),
  /** Defaults to ENTITLEMENT_VCT. */
  vct: z.url().optional(),
  issuedAt: z.coerce.date().optional(),
});
export type SdJwtIssueInput = z.input<typeof SdJwtIssueInput>;
type ParsedInput = z.output<typeof SdJwtIssueInput>;

/**
 * Issues an SD-JWT VC for an entitlement: the compact SD-JWT with every disclosure (`<jwt>~d1~...~`).
 * The key's DID must be the did:web of `issuerUrl` (the same issuer, two ways of finding its keys).
 * Throws `ERR_INPUT_INVALID` and `ERR_KEY_MISMATCH`.
 *
 * @example
 * const sdJwt = await issueSdJwtVc({ issuerUrl: "https://issuer.example", holder: holderDid, subject,
 *   validFrom, validUntil, status: { uri: "https://issuer.example/status/1/token", index: 42 } }, issuerKey);
 */
export async function issueSdJwtVc(input: SdJwtIssueInput, key: SigningKey): Promise<string> {
  const i = parseIssueInput(input);
  checkIssuerKey(i.issuerUrl, key);
  const claims = buildClaims(i);
  const frame = { _sd: SELECTIVELY_DISCLOSABLE.filter((k) => k in claims) } as DisclosureFrame<typeof claims>;
  const sdjwt = new SDJwtVcInstance({ signer: signerFor(key), signAlg: "EdDSA", hasher, hashAlg: "sha-256", saltGenerator });
  return sdjwt.issue(claims, frame, { header: { kid: key.kid } });
}

function parseIssueInput(input: SdJwtIssueInput): ParsedInput {
  const parsed = SdJwtIssueInput.safeParse(input);
  if (!parsed.success) throw new InputInvalidError(`${parsed.error.issues[0]?.path.join(".") ?? "input"}: ${parsed.error.issues[0]?.message}`, { cause: parsed.error });
  if (parsed.data.validUntil.getTime() <= parsed.data.validFrom.getTime()) throw new InputInvalidError("validUntil: must be after validFrom");
  return parsed.data;
}

function checkIssuerKey(issuerUrl: string, key: SigningKey): void {
  if (!key?.privateKey || typeof key.kid !== "string") throw new KeyInvalidError("A signing key needs kid and privateKey.");
  const did = didWebForUrl(issuerUrl);
  if (!did || !key.kid.startsWith(`${did}#`)) throw new KeyMismatchError(`The key ${key.kid} is not a key of ${issuerUrl} (${did ?? "no did:web"}).`);
}

/** The claims set: registered claims, then the subject's members at the top level. */
function buildClaims(i: ParsedInput): SdJwtVcPayload & Record<string, unknown> {
  const jwk = typeof i.holder === "string" ? publicJwkFromDid(i.holder) : i.holder;
  const s = i.subject;
  return {
    iss: i.issuerUrl,
    iat: seconds(i.issuedAt ?? new Date()),
    nbf: seconds(i.validFrom),
    exp: seconds(i.validUntil),
    vct: i.vct ?? ENTITLEMENT_VCT,
    cnf: { jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } },
    status: { status_list: { idx: i.status.index, uri: i.status.uri } },
    beneficiary: s.beneficiary,
    ...(s.name !== undefined ? { name: s.name } : {}),
    programme: s.programme,
    cycle: s.cycle,
    benefit: s.benefit,
    redemption: s.redemption,
    ...(s.area !== undefined ? { area: s.area } : {}),
    ...(s.servicePoints ? { servicePoints: s.servicePoints } : {}),
  };
}
