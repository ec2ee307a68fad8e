/** The notification request body a wallet sends (OpenID4VCI 1.0 section 11.1). */
import * as z from "zod";

/** The events a wallet reports to the notification endpoint (OpenID4VCI 1.0 section 11.1). */
export const NotificationEvent = z.enum(["credential_accepted", "credential_failure", "credential_deleted"]);
export type NotificationEvent = z.infer<typeof NotificationEvent>;

/** A notification request body (OpenID4VCI 1.0 section 11.1). */
export const NotificationRequest = z.object({
  notification_id: z.string().min(1).max(512),
  event: NotificationEvent,
  event_description: z
    .string()
    .max(1000)
    // %x20-21 / %x23-5B / %x5D-7E: printable ASCII without " and \ (spec section 11.1).
    .regex(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/)
    .optional(),
});
export type NotificationRequest = z.infer<typeof NotificationRequest>;
