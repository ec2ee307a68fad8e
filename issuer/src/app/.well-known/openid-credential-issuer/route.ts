import { handleIssuerMetadataRequest, toResponse } from "@haki/openid4vci/server";
import { getServerContext } from "@/server/context";
import { issuerConfig } from "@/server/delivery/oid4vci";
import { withApi } from "@/server/api/route";

export const dynamic = "force-dynamic";

/** GET /.well-known/openid-credential-issuer: OpenID4VCI credential issuer metadata. */
export const GET = withApi(async () => toResponse(handleIssuerMetadataRequest(issuerConfig(getServerContext()))));
