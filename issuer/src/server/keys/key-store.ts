/**
 * Where the issuer's signing keys live. The local store keeps them in the database encrypted
 * under a key from configuration; an HSM or cloud KMS implements the same interface.
 */
import type { SigningKey } from "@haki/credentials/keys";

export interface PublicKeyInfo {
  kid: string;
  did: string;
  publicJwk: { kty: "OKP"; crv: "Ed25519"; x: string };
  active: boolean;
  createdAt: Date;
}

export interface KeyStore {
  /** The active signing key, created on first use. */
  getSigningKey(): Promise<SigningKey & { did: string }>;
  /** Every key verifiers may meet (active and retired), for the DID document and trust bundle. */
  listPublicKeys(): Promise<PublicKeyInfo[]>;
  /** Makes a new active key; the old one stays published for credentials it signed. */
  rotate(args: { actorId: string | null }): Promise<PublicKeyInfo>;
}
