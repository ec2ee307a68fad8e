import { handleCredentialRequest, handlePreflightRequest, toResponse } from "@haki/openid4vci/server";
import { getServerContext } from "@/server/context";
import { issuanceDeps } from "@/server/delivery/oid4vci";
import { withOid4vci } from "@/server/delivery/oid4vci-route";

export const dynamic = "force-dynamic";

/** POST /api/oid4vci/credential (OpenID4VCI pre-authorised code flow; errors in the spec's shape). */
export const POST = withOid4vci("credential", async (request) => toResponse(await handleCredentialRequest(request, issuanceDeps(getServerContext()))));

/** CORS preflight: browser wallets (the Haki wallet PWA) call this endpoint from their own origin. */
export const OPTIONS = () => toResponse(handlePreflightRequest());
