import { handleAuthorizationServerMetadataRequest, toResponse } from "@haki/openid4vci/server";
import { getServerContext } from "@/server/context";
import { issuerConfig } from "@/server/delivery/oid4vci";
import { withApi } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** GET /.well-known/oauth-authorization-server: the token endpoint and the pre-authorised grant. */
export const GET = withApi(async () => toResponse(handleAuthorizationServerMetadataRequest(issuerConfig(getServerContext()))));
