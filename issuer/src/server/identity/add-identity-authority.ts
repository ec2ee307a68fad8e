/**
 * National ID authorities (MOSIP Claim 169 ID QR codes): an office adds an authority's public key,
 * or removes it; the next trust bundle carries the list to service points. Officer or admin;
 * audited. The key may be pasted as a JWK, a PEM public key (SPKI) or the raw public key in hex
 * (as the Claim 169 reference implementations publish theirs).
 */
import { createPublicKey, type JsonWebKey } from "node:crypto";
import { z } from "zod";
import { IdentityIssuerKey } from "@haki/claim169/trust";
import type { ServerContext } from "@/server/context";
import { requireRole, type Actor } from "@/server/auth/roles";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { ApiError } from "@/server/api/errors";
import { newId } from "@/server/lib/ids";

export const AddIdentityAuthorityInput = z.object({
  /** The CWT `iss` the authority's codes carry. */
  issuer: z.string().trim().min(1).max(300),
  name: z.string().trim().min(1).max(120),
  alg: z.enum(["EdDSA", "ES256"]),
  /** Empty: the key answers any kid. */
  kid: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().min(1).max(200).optional()),
  /** JWK JSON, PEM (SPKI) or hex of the raw public key. */
  publicKey: z.string().trim().min(1).max(4000),
});

const SPKI_PREFIX = {
  // RFC 8410 Ed25519 SubjectPublicKeyInfo header, then the 32-byte key.
  EdDSA: Buffer.from("302a300506032b6570032100", "hex"),
  // RFC 5480 P-256 SubjectPublicKeyInfo header, then the 65-byte uncompressed point.
  ES256: Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex"),
} as const;

function bad(message: string, cause?: unknown): ApiError {
  return new ApiError("ERR_BAD_REQUEST", message, cause === undefined ? {} : { cause });
}

/**
 * The public JWK of a pasted key, checked for the algorithm; a private key is refused.
 *
 * @example
 * publicJwkOf("d75a9801...511a", "EdDSA"); // { kty: "OKP", crv: "Ed25519", x: "11qYAY..." }
 */
export function publicJwkOf(text: string, alg: "EdDSA" | "ES256"): Record<string, string> {
  let jwk: JsonWebKey;
  try {
    if (text.startsWith("{")) {
      const parsed = JSON.parse(text) as JsonWebKey;
      if ("d" in parsed) throw bad("This is a private key. Paste the authority's public key only.");
      jwk = createPublicKey({ key: parsed, format: "jwk" }).export({ format: "jwk" });
    } else if (text.includes("-----BEGIN")) {
      if (/PRIVATE KEY/.test(text)) throw bad("This is a private key. Paste the authority's public key only.");
      jwk = createPublicKey(text).export({ format: "jwk" });
    } else if (/^(0x)?[0-9a-fA-F\s:]+$/.test(text)) {
      const raw = Buffer.from(text.replace(/^0x|[\s:]/g, ""), "hex");
      jwk = createPublicKey({ key: Buffer.concat([SPKI_PREFIX[alg], raw]), format: "der", type: "spki" }).export({ format: "jwk" });
    } else throw bad("The key is not a JWK, a PEM public key or hex.");
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw bad("The key could not be read as a public key.", e);
  }
  const publicKeyJwk = jwk.kty === "OKP" ? { kty: "OKP", crv: jwk.crv, x: jwk.x } : { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  const checked = IdentityIssuerKey.safeParse({ alg, publicKeyJwk });
  if (!checked.success) throw bad(alg === "EdDSA" ? "EdDSA needs an Ed25519 public key." : "ES256 needs a P-256 public key.", checked.error);
  return checked.data.publicKeyJwk as Record<string, string>;
}

/**
 * Adds a national ID authority's key.
 *
 * @example
 * await addIdentityAuthority(ctx, { issuer: "https://id.gov.example", name: "National Identification Authority", alg: "EdDSA", publicKey: pem }, officer);
 */
export async function addIdentityAuthority(ctx: ServerContext, input: z.input<typeof AddIdentityAuthorityInput>, actor: Actor): Promise<{ id: string }> {
  requireRole(actor, "officer", "admin");
  const parsed = AddIdentityAuthorityInput.safeParse(input);
  if (!parsed.success) throw bad("The authority needs a name, the issuer its ID cards carry, an algorithm and a public key.", parsed.error);
  const i = parsed.data;
  const publicJwk = publicJwkOf(i.publicKey, i.alg);
  const id = newId();
  await ctx.db.$transaction(async (tx) => {
    await tx.identityAuthority.create({ data: { id, issuer: i.issuer, name: i.name, alg: i.alg, kid: i.kid ?? null, publicJwk: JSON.stringify(publicJwk), createdBy: actor.id, createdAt: ctx.now() } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "identity-authority.add", subject: id, details: { issuer: i.issuer, name: i.name, alg: i.alg, kid: i.kid ?? null, publicJwk } });
  });
  return { id };
}

/**
 * Removes a national ID authority's key: the next trust bundle no longer carries it, and service
 * points refuse ID cards it signed once they update.
 *
 * @example
 * await removeIdentityAuthority(ctx, { id }, officer);
 */
export async function removeIdentityAuthority(ctx: ServerContext, input: { id: string }, actor: Actor): Promise<void> {
  requireRole(actor, "officer", "admin");
  await ctx.db.$transaction(async (tx) => {
    const row = await tx.identityAuthority.findUnique({ where: { id: input.id } });
    if (!row) throw new ApiError("ERR_NOT_FOUND", "No such ID authority.");
    await tx.identityAuthority.delete({ where: { id: input.id } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "identity-authority.remove", subject: input.id, details: { issuer: row.issuer, name: row.name, kid: row.kid } });
  });
}
