/**
 * Verifier devices after enrolment: listed with their last contact, and revoked when lost, stolen
 * or retired. A revoked device's receipts are refused from then on (ERR_RECEIPT_DEVICE_REVOKED,
 * final: the device drops them) and its key cannot enrol again (ERR_DEVICE_REVOKED).
 */
import { z } from "zod";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { requireRole, type Actor } from "@/server/auth/roles";
import { readJsonColumn } from "@/server/lib/json-column";
import { PublicJwk } from "@haki/redemption/setup";

/** A device as the console lists it. */
export interface DeviceRow {
  id: string;
  servicePointId: string;
  label: string | null;
  enrolledAt: Date;
  /** The last receipt sync (or the enrolment): null if never. */
  lastSeenAt: Date | null;
  revokedAt: Date | null;
  revokeReason: string | null;
}

/**
 * Every device, by service point, newest enrolment first.
 *
 * @example
 * const devices = await readDevices(ctx); // [{ id: "dev-...", servicePointId: "sp-kisumu-12", lastSeenAt, revokedAt: null }]
 */
export async function readDevices(ctx: ServerContext): Promise<DeviceRow[]> {
  const rows = await ctx.db.device.findMany({ orderBy: [{ servicePointId: "asc" }, { enrolledAt: "desc" }] });
  return rows.map((d) => ({ id: d.id, servicePointId: d.servicePointId, label: d.label, enrolledAt: d.enrolledAt, lastSeenAt: d.lastSeenAt ?? d.enrolledAt, revokedAt: d.revokedAt, revokeReason: d.revokeReason }));
}

export const RevokeDeviceInput = z.object({ deviceId: z.string().min(1).max(64), reason: z.string().trim().min(1).max(200) });

/**
 * Revokes a device (admin or officer), with a reason. Idempotent.
 *
 * @example
 * await revokeDevice(ctx, { deviceId: "dev-3xk...", reason: "phone stolen" }, officer);
 */
export async function revokeDevice(ctx: ServerContext, input: z.input<typeof RevokeDeviceInput>, actor: Actor): Promise<void> {
  requireRole(actor, "admin", "officer");
  const i = RevokeDeviceInput.parse(input);
  const device = await ctx.db.device.findUnique({ where: { id: i.deviceId } });
  if (!device) throw new ApiError("ERR_NOT_FOUND", "No such device.");
  if (device.revokedAt) return;
  await ctx.db.$transaction(async (tx) => {
    await tx.device.update({ where: { id: device.id }, data: { revokedAt: ctx.now(), revokeReason: i.reason } });
    await appendAuditEvent(tx, ctx, { actorId: actor.id, action: "device.revoke", subject: device.id, details: { servicePoint: device.servicePointId, reason: i.reason } });
  });
}

/**
 * The enrolled key of a device that is not revoked (undefined otherwise): what a device signs with
 * (an OpenID4VP relay opening) is checked against it.
 *
 * @example
 * const key = await deviceKey(ctx, deviceId);
 */
export async function deviceKey(ctx: ServerContext, deviceId: string): Promise<PublicJwk | undefined> {
  const d = await ctx.db.device.findUnique({ where: { id: deviceId } });
  return d && !d.revokedAt ? readJsonColumn(PublicJwk, d.publicJwk, "Device.publicJwk") : undefined;
}
