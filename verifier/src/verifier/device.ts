import { generateKeyPair } from "@haki/credentials/keys";
import type { DeviceRecord, VerifierDb } from "../storage/db";

/**
 * The device's receipt-signing key, made on first use. Non-extractable: script on the page can
 * sign with it but cannot copy it off the device.
 *
 * @example
 * const device = await ensureDeviceKey(db, Date.now());
 */
export async function ensureDeviceKey(db: VerifierDb, nowMs: number): Promise<DeviceRecord> {
  const existing = await db.getDevice();
  if (existing) return existing;
  const k = await generateKeyPair({ extractable: false });
  const record: DeviceRecord = {
    publicJwk: k.publicJwk,
    privateKey: k.privateKey,
    createdAt: nowMs,
  };
  await db.putDevice(record);
  return record;
}
