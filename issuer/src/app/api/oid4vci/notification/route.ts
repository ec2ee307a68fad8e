import { handleNotificationRequest, handlePreflightRequest, toResponse } from "@haki/openid4vci/server";
import { getServerContext } from "@/server/context";
import { issuanceDeps } from "@/server/delivery/oid4vci";
import { withOid4vci } from "@/server/delivery/oid4vci-route";

export const dynamic = "force-dynamic";

/**
 * POST /api/oid4vci/notification (OpenID4VCI 1.0 section 11): the wallet says a card was kept
 * (`credential_accepted`), could not be kept or was deleted; the delivery records it for the console.
 */
export const POST = withOid4vci("notification", async (request) => toResponse(await handleNotificationRequest(request, issuanceDeps(getServerContext()))));

/** CORS preflight: browser wallets call this endpoint from their own origin. */
export const OPTIONS = () => toResponse(handlePreflightRequest());
