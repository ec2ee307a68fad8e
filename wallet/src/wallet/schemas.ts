/**
 * Shapes of what the wallet keeps encrypted, validated on every read.
 */
import { z } from "zod";
import { Ed25519PublicJwk } from "@haki/credentials/keys";
import { SealedSchema } from "@haki/secure-store/vault";
import { CardState } from "@haki/card-state/response";

export const CompactJwt = z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "compact JWS");

/** A stored credential: a compact JWS (VC 1.1, `vc+jwt`) or an SD-JWT VC with its disclosures (`<jws>~<d1>~...~`). */
export const StoredCredentialText = z.union([
  CompactJwt,
  z.string().max(16_384).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+~(?:[A-Za-z0-9_-]+~)*$/, "SD-JWT with its disclosures"),
]);

/** What the wallet tells the issuer about a card (OpenID4VCI 1.0 notification events). */
export const WalletNotificationEvent = z.enum(["credential_accepted", "credential_failure", "credential_deleted"]);
export type WalletNotificationEvent = z.infer<typeof WalletNotificationEvent>;

/**
 * The issuer's notification handle for a card (given with the credential): the id, the access token
 * it is matched on, and the last event the issuer confirmed (none yet: still to send).
 */
export const CardNotification = z.object({
  notificationId: z.string().min(1).max(512),
  accessToken: z.string().min(1).max(2048),
  sent: WalletNotificationEvent.optional(),
});
export type CardNotification = z.infer<typeof CardNotification>;

/** Status of one credential as last seen in the issuer's status lists. */
export const KnownStatus = z.object({
  revoked: z.boolean(),
  suspended: z.boolean(),
  checkedAt: z.string().datetime(),
});
export type KnownStatus = z.infer<typeof KnownStatus>;

export const StoredCredential = z.object({
  jwt: StoredCredentialText,
  receivedAt: z.string().datetime(),
  /** Issuer's display name from its metadata or trust entry. */
  issuerName: z.string().min(1).max(120).optional(),
  /** Credential issuer URL it came from (OpenID4VCI), for status refresh and support. */
  issuerUrl: z.string().url().optional(),
  status: KnownStatus.optional(),
  /** The issuer's notification endpoint knows this card by it (OpenID4VCI 1.0). */
  notification: CardNotification.optional(),
  /** What the programme office last said about this card (state, reason, contact, what is left, hand-overs). */
  office: z.object({ card: CardState, checkedAt: z.string().datetime() }).optional(),
});
export type StoredCredential = z.infer<typeof StoredCredential>;

/** The holder key: the private key stays wrapped (AES-GCM, pkcs8) under the profile's data key. */
export const StoredHolderKey = z.object({
  did: z.string().min(8),
  kid: z.string().min(8),
  publicJwk: Ed25519PublicJwk,
  wrappedPrivateKey: SealedSchema,
  createdAt: z.string().datetime(),
});
export type StoredHolderKey = z.infer<typeof StoredHolderKey>;

export const HistoryEvent = z.object({
  at: z.string().datetime(),
  event: z.enum(["received", "presented", "deleted", "restored", "pin-changed"]),
  credentialId: z.string().optional(),
  /** Programme name at the time, so the history reads well after a card was deleted. */
  label: z.string().max(160).optional(),
});
export type HistoryEvent = z.infer<typeof HistoryEvent>;
