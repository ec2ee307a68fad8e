/** The two `/.well-known/` documents a wallet reads first. */
import { buildAuthorizationServerMetadata, buildIssuerMetadata, type IssuerConfig } from "../metadata";
import type { HandlerResponse } from "./deps";
import { CORS_HEADERS } from "./respond";

const PUBLIC_JSON = { "content-type": "application/json", "cache-control": "public, max-age=300", ...CORS_HEADERS };

/**
 * `GET /.well-known/openid-credential-issuer`.
 * @example
 * export const GET = () => toResponse(handleIssuerMetadataRequest(config));
 */
export function handleIssuerMetadataRequest(config: IssuerConfig): HandlerResponse {
  return { status: 200, headers: { ...PUBLIC_JSON }, body: buildIssuerMetadata(config) };
}

/**
 * `GET /.well-known/oauth-authorization-server`.
 * @example
 * export const GET = () => toResponse(handleAuthorizationServerMetadataRequest(config));
 */
export function handleAuthorizationServerMetadataRequest(config: IssuerConfig): HandlerResponse {
  return { status: 200, headers: { ...PUBLIC_JSON }, body: buildAuthorizationServerMetadata(config) };
}
