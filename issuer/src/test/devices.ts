/**
 * A verifier device in tests, enrolled the way the office sets one up: a fresh set-up code made by
 * an office user, then the enrolment with the device's own key.
 */
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { parseSetupCode } from "@haki/redemption/setup";
import type { Actor } from "@/server/auth/roles";
import type { ServerContext } from "@/server/context";
import { createSetupCode, enrolDevice } from "@/server/verifier/service-points";

/**
 * Enrols a new device at `servicePoint` (a non-extractable key unless `key` is given); answers the
 * enrolment and the device's key.
 *
 * @example
 * const { deviceId, key } = await enrolTestDevice(t.ctx, "sp-nairobi-1", fx.officer.actor);
 */
export async function enrolTestDevice(
  ctx: ServerContext,
  servicePoint: string,
  actor: Actor,
  options: { key?: HakiKeyPair; deviceLabel?: string } = {},
) {
  const key = options.key ?? (await generateKeyPair({ extractable: false }));
  const { code } = parseSetupCode((await createSetupCode(ctx, servicePoint, actor)).setupCode);
  const enrolled = await enrolDevice(ctx, { code, servicePoint, deviceKey: key.publicJwk, ...(options.deviceLabel ? { deviceLabel: options.deviceLabel } : {}) });
  return { ...enrolled, key };
}
