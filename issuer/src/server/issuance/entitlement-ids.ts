/**
 * Entitlement ids in creation order (UUID version 7: a millisecond timestamp, a sequence, random
 * bits). Bulk issuance prepares entitlements in order and then walks them in that order; with
 * random ids every signed page touched a thousand random index pages, with ordered ids it touches a
 * handful. The id shows when the entitlement was prepared (to the millisecond), nothing more.
 */
import { randomBytes } from "node:crypto";

let lastMs = 0;
let seq = 0;
// Random bits drawn 256 ids at a time: one randomBytes call per id cost more than the rest of it.
let pool = Buffer.alloc(0);
let poolAt = 0;

/**
 * A new entitlement id, greater than every id this process made before.
 *
 * @example
 * const ids = Array.from({ length: 3 }, newEntitlementId); // ascending
 */
export function newEntitlementId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    ms = lastMs;
    seq++;
    // 12 sequence bits per millisecond; past that, borrow the next millisecond.
    if (seq > 0xfff) {
      ms = lastMs + 1;
      seq = 0;
    }
  } else {
    seq = 0;
  }
  lastMs = ms;
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(16 * 256);
    poolAt = 0;
  }
  const b = pool.subarray(poolAt, poolAt + 16);
  poolAt += 16;
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (seq >> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
