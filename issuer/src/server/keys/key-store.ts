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
  /**
   * The key the next rotation will make active, created on first use (pre-rotation). Trust bundles
   * name it ahead of time among the keys allowed to sign the next bundle, so enrolled verifier
   * devices follow a rotation without re-enrolling. It signs nothing until it is active and is not
   * in `listPublicKeys` (nor the DID document) before then.
   */
  nextPublicKey(): Promise<PublicKeyInfo>;
  /** Makes the next key active (or a new one, if none was announced); the old one stays published for what it signed. */
  rotate(args: { actorId: string | null }): Promise<PublicKeyInfo>;
  /**
   * Distrusts a key (compromised): it signs nothing more (an active key is rotated out first), is
   * left out of `listPublicKeys` (so of the DID document and the next trust bundle) and is never
   * announced as the next key. Audited as `key.distrust`. Idempotent.
   */
  distrust(args: { kid: string; actorId: string | null; reason: string }): Promise<void>;
  /** The keys distrusted so far (what they signed must be refused). */
  listDistrustedKeys(): Promise<{ kid: string; distrustedAt: Date; reason: string | null }[]>;
}
