/**
 * Issuer metadata (`/.well-known/openid-credential-issuer`, OpenID4VCI 1.0 final) and the OAuth
 * authorization server metadata (`/.well-known/oauth-authorization-server`), built and validated by
 * @openid4vc/openid4vci and @openid4vc/oauth2. Credential configurations: the entitlement as
 * `jwt_vc_json` (VC-JWT, VC 1.1 or 2.0) and, when `sdJwtVc` is configured, as `dc+sd-jwt`; a nonce
 * endpoint; `batch_credential_issuance` when `batchSize` > 1; a notification endpoint when
 * `notifications` is on.
 */
import { Oauth2AuthorizationServer, preAuthorizedCodeGrantIdentifier, type AuthorizationServerMetadata } from "@openid4vc/oauth2";
import { Openid4vciIssuer, Openid4vciVersion, type CredentialIssuerMetadata, type IssuerMetadataResult } from "@openid4vc/openid4vci";
import { setGlobalConfig } from "@openid4vc/utils";
import * as z from "zod";
import { PROOF_ALGS, serverCallbacks } from "./lib/callbacks";

export const DEFAULT_CREDENTIAL_CONFIGURATION_ID = "EntitlementCredential_jwt_vc_json";
export const DEFAULT_SD_JWT_CONFIGURATION_ID = "EntitlementCredential_dc_sd_jwt";

const DisplaySchema = z.object({ name: z.string().min(1), locale: z.string().optional() });

export const IssuerConfigSchema = z.object({
  /** The issuer's public base URL, e.g. "https://issuer.haki.example" (no trailing slash). */
  credentialIssuer: z.url().refine((u) => !u.endsWith("/"), "no trailing slash"),
  credentialConfigurationId: z.string().min(1).default(DEFAULT_CREDENTIAL_CONFIGURATION_ID),
  /** VC types of the credential, as in the `vc.type` claim. */
  credentialTypes: z.array(z.string().min(1)).nonempty().default(["VerifiableCredential", "EntitlementCredential"]),
  /** Paths of the endpoints under `credentialIssuer`; the issuer app mounts its route handlers there. */
  endpoints: z
    .object({ token: z.string(), nonce: z.string(), credential: z.string(), notification: z.string().default("/api/oid4vci/notification") })
    .default({ token: "/api/oid4vci/token", nonce: "/api/oid4vci/nonce", credential: "/api/oid4vci/credential", notification: "/api/oid4vci/notification" }),
  /**
   * The SD-JWT VC configuration (`dc+sd-jwt`), offered beside `jwt_vc_json` when set: its `vct`
   * and the claims a wallet shows (labels per locale).
   */
  sdJwtVc: z
    .object({
      configurationId: z.string().min(1).default(DEFAULT_SD_JWT_CONFIGURATION_ID),
      vct: z.url(),
      claims: z.array(z.object({ path: z.array(z.string()).nonempty(), display: z.array(z.object({ name: z.string().min(1), locale: z.string().optional() })) })).default([]),
    })
    .optional(),
  /** Credentials one request may ask for (one proof, one holder key each); 1 = no batch issuance. */
  batchSize: z.number().int().min(1).max(100).default(1),
  /** Advertise the notification endpoint (the wallet then reports a card accepted or deleted). */
  notifications: z.boolean().default(false),
  display: z.array(DisplaySchema).default([]),
  /** How wallets name the credential. Never empty: its presence marks the metadata as OpenID4VCI 1.0. */
  credentialDisplay: z.array(DisplaySchema).nonempty().default([{ name: "Entitlement", locale: "en" }]),
});
export type IssuerConfig = z.input<typeof IssuerConfigSchema>;
export type ResolvedIssuerConfig = z.output<typeof IssuerConfigSchema>;

/**
 * Validates an issuer configuration and fills defaults.
 * @example
 * const config = resolveIssuerConfig({ credentialIssuer: "https://issuer.haki.example" });
 */
export function resolveIssuerConfig(config: IssuerConfig): ResolvedIssuerConfig {
  return IssuerConfigSchema.parse(config);
}

function endpointUrl(config: ResolvedIssuerConfig, path: string): string {
  return new URL(path, `${config.credentialIssuer}/`).toString();
}

/**
 * The credential issuer metadata document, served at `/.well-known/openid-credential-issuer`.
 * @example
 * const metadata = buildIssuerMetadata({ credentialIssuer: "https://issuer.haki.example",
 *   display: [{ name: "Ministry of Social Protection", locale: "en" }] });
 */
export function buildIssuerMetadata(input: IssuerConfig): CredentialIssuerMetadata {
  const config = resolveIssuerConfig(input);
  return new Openid4vciIssuer({ callbacks: serverCallbacks }).createCredentialIssuerMetadata({
    credential_issuer: config.credentialIssuer,
    ...issuerEndpoints(config),
    ...(config.display.length > 0 ? { display: config.display } : {}),
    ...(config.batchSize > 1 ? { batch_credential_issuance: { batch_size: config.batchSize } } : {}),
    credential_configurations_supported: credentialConfigurations(config),
  });
}

/** Where a wallet sends its requests: credential, nonce and token endpoints, and notifications when they are on. */
function issuerEndpoints(config: ResolvedIssuerConfig) {
  return {
    credential_endpoint: endpointUrl(config, config.endpoints.credential),
    nonce_endpoint: endpointUrl(config, config.endpoints.nonce),
    // Lets a client whose authorization server metadata lookup fails still find the token endpoint.
    token_endpoint: endpointUrl(config, config.endpoints.token),
    ...(config.notifications ? { notification_endpoint: endpointUrl(config, config.endpoints.notification) } : {}),
  };
}

/** The entitlement as `jwt_vc_json` and, when configured, as `dc+sd-jwt`, by configuration id. */
function credentialConfigurations(config: ResolvedIssuerConfig): CredentialIssuerMetadata["credential_configurations_supported"] {
  return {
    [config.credentialConfigurationId]: {
      format: "jwt_vc_json",
      scope: config.credentialConfigurationId,
      cryptographic_binding_methods_supported: ["did:key", "did:jwk", "jwk"],
      credential_signing_alg_values_supported: ["EdDSA"],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_ALGS] } },
      credential_definition: { type: config.credentialTypes },
      // `credential_metadata` is what makes @openid4vc clients speak 1.0 (credential_configuration_id).
      credential_metadata: { display: config.credentialDisplay },
    },
    ...(config.sdJwtVc
      ? {
          [config.sdJwtVc.configurationId]: {
            format: "dc+sd-jwt",
            scope: config.sdJwtVc.configurationId,
            vct: config.sdJwtVc.vct,
            // SD-JWT VC binds the holder key in cnf.jwk.
            cryptographic_binding_methods_supported: ["jwk"],
            credential_signing_alg_values_supported: ["EdDSA"],
            proof_types_supported: { jwt: { proof_signing_alg_values_supported: [...PROOF_ALGS] } },
            credential_metadata: {
              display: config.credentialDisplay,
              ...(config.sdJwtVc.claims.length ? { claims: config.sdJwtVc.claims } : {}),
            },
          },
        }
      : {}),
  };
}

/**
 * The format of a credential configuration this issuer offers, or undefined when it offers none by
 * that id.
 * @example
 * credentialFormatOf(config, "EntitlementCredential_dc_sd_jwt"); // "dc+sd-jwt"
 */
export function credentialFormatOf(input: IssuerConfig, configurationId: string): "jwt_vc_json" | "dc+sd-jwt" | undefined {
  const config = resolveIssuerConfig(input);
  if (configurationId === config.credentialConfigurationId) return "jwt_vc_json";
  if (config.sdJwtVc && configurationId === config.sdJwtVc.configurationId) return "dc+sd-jwt";
  return undefined;
}

/**
 * OAuth 2.0 authorization server metadata (RFC 8414) for the issuer acting as its own
 * authorization server, served at `/.well-known/oauth-authorization-server`.
 * @example
 * const asMetadata = buildAuthorizationServerMetadata({ credentialIssuer: "https://issuer.haki.example" });
 */
export function buildAuthorizationServerMetadata(input: IssuerConfig): AuthorizationServerMetadata {
  const config = resolveIssuerConfig(input);
  return new Oauth2AuthorizationServer({ callbacks: serverCallbacks }).createAuthorizationServerMetadata({
    issuer: config.credentialIssuer,
    token_endpoint: endpointUrl(config, config.endpoints.token),
    grant_types_supported: [preAuthorizedCodeGrantIdentifier],
    "pre-authorized_grant_anonymous_access_supported": true,
  });
}

/**
 * The metadata bundle @openid4vc/openid4vci's issuer functions take (issuer + authorization server).
 * @example
 * const metadata = issuerMetadataResult({ credentialIssuer: "https://issuer.haki.example" });
 */
export function issuerMetadataResult(input: IssuerConfig): IssuerMetadataResult {
  const credentialIssuer = buildIssuerMetadata(input);
  const issuer = new Openid4vciIssuer({ callbacks: serverCallbacks });
  return {
    originalDraftVersion: Openid4vciVersion.V1,
    credentialIssuer,
    authorizationServers: [buildAuthorizationServerMetadata(input)],
    knownCredentialConfigurations: issuer.getKnownCredentialConfigurationsSupported(credentialIssuer),
  } satisfies IssuerMetadataResult;
}

/**
 * Allows http:// issuer URLs (development on localhost only). The @openid4vc libraries refuse
 * plain http by default, process-wide; this flips that process-wide switch.
 * @example
 * if (env.NODE_ENV === "development") allowInsecureUrls(true);
 */
export function allowInsecureUrls(allowed: boolean): void {
  setGlobalConfig({ allowInsecureUrls: allowed });
}
