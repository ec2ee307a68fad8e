/** What the issuer's handlers are given: the issuer's config, its offer store and its signing callbacks. */
import type { Jwk } from "@openid4vc/oauth2";
import type { IssuerConfig } from "../metadata";
import type { NonceService } from "../nonces";
import type { OfferStore, StoredOffer } from "../store";
import type { NotificationEvent } from "./notification-request";

export interface HandlerResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The credential formats the issuer signs. */
export type CredentialFormat = "jwt_vc_json" | "dc+sd-jwt";

export interface IssuanceDeps {
  /** Treated as immutable: the metadata built from it is cached per object. */
  config: IssuerConfig;
  store: OfferStore;
  /**
   * Signs the credential for the holder (the issuer uses @haki/credentials/sign, or
   * @haki/credentials/sd-jwt for `dc+sd-jwt`). Returns the credential (a VC-JWT or an SD-JWT VC).
   * Called once per proof of a batch, each with its own holder key; throw
   * `IssuanceError("ERR_CREDENTIAL_REQUEST_DENIED")` when the entitlement may not be issued now.
   */
  issueCredential(args: {
    offer: StoredOffer;
    holderDid: string;
    holderJwk: Jwk;
    /** The configuration asked for, and its format. */
    credentialConfigurationId?: string;
    format?: CredentialFormat;
    /** Position in the batch (0 for a single credential). */
    index?: number;
  }): Promise<string>;
  /**
   * Called once per credential request after every credential of it was signed: record the
   * delivery (which holder keys, how many credentials) and, when the issuer takes notifications,
   * answer a notification id for them (sent to the wallet, which reports `credential_accepted`,
   * `credential_failure` or `credential_deleted` with it). Bind the id to `tokenHash`: the
   * notification comes with the same access token. A throw fails the request (nothing is sent).
   */
  recordIssuance?(args: {
    offer: StoredOffer;
    holders: { did: string; jwk: Jwk }[];
    credentialConfigurationId: string;
    format: CredentialFormat;
    tokenHash: string;
    now: Date;
  }): Promise<{ notificationId?: string } | void>;
  /** Handles a wallet's notification; false when the id is unknown or was made for another token. */
  handleNotification?(args: { notificationId: string; event: NotificationEvent; description?: string; tokenHash: string; now: Date }): Promise<boolean>;
  now?: () => Date;
  /**
   * SHA-256 hex of a secret, as `hashSecret` computes it. Servers may pass a synchronous
   * node:crypto one: Web Crypto's digest is a thread-pool job costing more than the hash itself
   * (two per credential request; about 5% of a loaded issuer's CPU). Must equal `hashSecret`.
   */
  hashSecret?: (secret: string) => string | Promise<string>;
  /** Default 300 s. */
  accessTokenTtlSeconds?: number;
  /** Default 300 s (for the default, stored nonces; a `nonces` service has its own). */
  nonceTtlSeconds?: number;
  /**
   * Where c_nonces come from and are spent: default `createStoredNonces` (a row per nonce in
   * `store`); a server open to the internet passes `createSealedNonces` (no row until spent).
   */
  nonces?: NonceService;
  /** Wrong PINs allowed before the offer is blocked. Default 5. */
  maxTxCodeAttempts?: number;
  /** Oldest accepted proof `iat`, in seconds before now. Default 300. */
  proofMaxAgeSeconds?: number;
  /** Clock skew tolerated for a proof `iat` in the future. Default 60 s. */
  clockSkewSeconds?: number;
}
