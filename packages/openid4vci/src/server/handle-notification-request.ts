/** The notification endpoint (OpenID4VCI 1.0 section 11): the wallet says what became of a credential. */
import { IssuanceError } from "../errors";
import type { HandlerResponse, IssuanceDeps } from "./deps";
import { NotificationRequest } from "./notification-request";
import { bearerToken, hashOf, readJson, requireMethod } from "./read-request";
import { CORS_HEADERS, guard } from "./respond";

/**
 * `POST <notification endpoint>` (OpenID4VCI 1.0 section 11): the wallet says a credential was
 * accepted, failed or deleted. Needs the access token of the credential request as Bearer token
 * and `deps.handleNotification`; answers 204, or 400 `invalid_notification_id` /
 * `invalid_notification_request`.
 * @example
 * export async function POST(req: Request) { return toResponse(await handleNotificationRequest(req, deps)); }
 */
export function handleNotificationRequest(request: Request, deps: IssuanceDeps): Promise<HandlerResponse> {
  return guard(async () => {
    requireMethod(request, "POST", "ERR_INVALID_NOTIFICATION_REQUEST");
    const tokenHash = await hashOf(deps, bearerToken(request));
    const body = await readJson(request, "ERR_INVALID_NOTIFICATION_REQUEST");
    const parsed = NotificationRequest.safeParse(body);
    if (!parsed.success) throw new IssuanceError("ERR_INVALID_NOTIFICATION_REQUEST", { cause: parsed.error });
    if (!deps.handleNotification) throw new IssuanceError("ERR_INVALID_NOTIFICATION_ID");
    const known = await deps.handleNotification({
      notificationId: parsed.data.notification_id,
      event: parsed.data.event,
      ...(parsed.data.event_description !== undefined ? { description: parsed.data.event_description } : {}),
      tokenHash,
      now: deps.now?.() ?? new Date(),
    });
    if (!known) throw new IssuanceError("ERR_INVALID_NOTIFICATION_ID");
    return { status: 204, headers: { ...CORS_HEADERS, "cache-control": "no-store" }, body: undefined };
  });
}
