/** The credential request's common shape, read without rebuilding schemas on every request. */
import { zCompactJwt } from "@openid4vc/oauth2";
import type { IssuerMetadataResult, ParseCredentialRequestReturn } from "@openid4vc/openid4vci";
import * as z from "zod";

/**
 * The request nearly every wallet sends (OpenID4VCI 1.0: a configuration id and JWT proofs), read
 * with one schema built once. The library's parser builds some of its schemas on every call (about
 * a tenth of a loaded issuer's CPU); anything else still goes through it, so errors are unchanged.
 */
const CommonCredentialRequest = z.strictObject({
  credential_configuration_id: z.string().min(1),
  proofs: z.strictObject({ jwt: z.array(z.string()).min(1) }),
});

/**
 * What the library's `parseCredentialRequest` answers for the common shape, or undefined to let
 * the library parse it.
 * @example
 * const parsed = parseCommonRequest(body, metadata) ?? issuer.parseCredentialRequest({ issuerMetadata: metadata, credentialRequest: body });
 */
export function parseCommonRequest(body: Record<string, unknown>, metadata: IssuerMetadataResult): ParseCredentialRequestReturn | undefined {
  const common = CommonCredentialRequest.safeParse(body);
  if (!common.success) return undefined;
  const { credential_configuration_id: id, proofs } = common.data;
  const credentialConfiguration = metadata.knownCredentialConfigurations[id];
  if (!credentialConfiguration || !proofs.jwt.every((jwt) => zCompactJwt.safeParse(jwt).success)) return undefined;
  return { credentialConfiguration, credentialConfigurationId: id, credentialRequest: body as ParseCredentialRequestReturn["credentialRequest"], proofs: { jwt: proofs.jwt } };
}
