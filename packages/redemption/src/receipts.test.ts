import { generateKeyPair } from "@haki/credentials/keys";
import { beforeAll, describe, expect, it } from "vitest";
import {
  entitlementKey,
  findDoubleRedemptions,
  newReceiptId,
  signReceipt,
  verifyReceipt,
  type Receipt,
} from "./receipts";
import type { PublicJwk } from "./setup";

let device: Awaited<ReturnType<typeof generateKeyPair>>;
const keys = new Map<string, PublicJwk>();

const base = (over: Partial<Receipt> = {}): Receipt => {
  const e = {
    issuer: "did:web:pay.example.org",
    programme: "cash-transfer",
    cycle: "2027-03",
    beneficiary: "B-0001",
  };
  return {
    v: 1,
    id: newReceiptId(),
    entitlement: entitlementKey(e),
    ...e,
    servicePoint: "sp-1",
    device: "dev-1",
    redemption: "single",
    handedOver: { type: "Cash", amount: 3000, currency: "KES" },
    remaining: 0,
    visualCheck: true,
    at: 1_804_669_200,
    ...over,
  };
};

beforeAll(async () => {
  device = await generateKeyPair();
  keys.set("dev-1", device.publicJwk);
});

describe("receipts", () => {
  it("makes 128-bit random ids", () => {
    const ids = new Set(Array.from({ length: 1000 }, newReceiptId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it("signs with the device key and verifies with the enrolled key", async () => {
    const r = base();
    const jws = await signReceipt(r, { privateKey: device.privateKey, deviceId: "dev-1" });
    expect(await verifyReceipt(jws, (id) => keys.get(id))).toEqual(r);
  });

  it("refuses a receipt for another device id than the signer's", async () => {
    await expect(
      signReceipt(base({ device: "dev-2" }), { privateKey: device.privateKey, deviceId: "dev-1" }),
    ).rejects.toMatchObject({ code: "ERR_RECEIPT_INVALID" });
  });

  it("refuses tampered, foreign-signed, unknown-device and junk receipts", async () => {
    const jws = await signReceipt(base(), { privateKey: device.privateKey, deviceId: "dev-1" });
    const [h, p, s] = jws.split(".");
    const body = JSON.parse(Buffer.from(p ?? "", "base64url").toString()) as Receipt;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...body, handedOver: { type: "Cash", amount: 30000, currency: "KES" } })).toString("base64url")}.${s}`;
    await expect(verifyReceipt(tampered, (id) => keys.get(id))).rejects.toMatchObject({
      code: "ERR_RECEIPT_SIGNATURE_INVALID",
    });
    const other = await generateKeyPair();
    const foreign = await signReceipt(base(), { privateKey: other.privateKey, deviceId: "dev-1" });
    await expect(verifyReceipt(foreign, (id) => keys.get(id))).rejects.toMatchObject({
      code: "ERR_RECEIPT_SIGNATURE_INVALID",
    });
    const unknown = await signReceipt(base({ device: "dev-9" }), {
      privateKey: device.privateKey,
      deviceId: "dev-9",
    });
    await expect(verifyReceipt(unknown, (id) => keys.get(id))).rejects.toMatchObject({
      code: "ERR_RECEIPT_UNKNOWN_DEVICE",
    });
    await expect(verifyReceipt("junk", (id) => keys.get(id))).rejects.toMatchObject({
      code: "ERR_RECEIPT_INVALID",
    });
  });

  it("refuses a receipt whose entitlement key does not match its fields", async () => {
    const jws = await signReceipt(base({ entitlement: "did:web:x|a|b|B-9999" }), {
      privateKey: device.privateKey,
      deviceId: "dev-1",
    });
    await expect(verifyReceipt(jws, (id) => keys.get(id))).rejects.toMatchObject({
      code: "ERR_RECEIPT_INVALID",
    });
  });
});

describe("double redemption across devices (issuer side)", () => {
  it("flags a single-use entitlement redeemed on two devices, counting a re-sent receipt once", () => {
    const a = base({ device: "dev-1", at: 1 });
    const b = base({ device: "dev-2", at: 2 });
    expect(findDoubleRedemptions([a, a, a])).toEqual([]);
    expect(findDoubleRedemptions([b, a, a])).toEqual([
      {
        entitlement: a.entitlement,
        receipts: [a.id, b.id],
        devices: ["dev-1", "dev-2"],
        kind: "single-use-redeemed-twice",
      },
    ]);
  });

  it("flags partial hand-overs that add up to more than the entitlement", () => {
    const part = (device: string, amount: number) =>
      base({
        device,
        redemption: "partial",
        handedOver: { type: "InKind", quantity: amount, unit: "kg", item: "Maize" },
      });
    const ok = [part("dev-1", 10), part("dev-2", 15)];
    expect(findDoubleRedemptions(ok, () => 25)).toEqual([]);
    const over = [...ok, part("dev-3", 1)];
    expect(findDoubleRedemptions(over, () => 25)).toMatchObject([
      { kind: "balance-exceeded", devices: ["dev-1", "dev-2", "dev-3"] },
    ]);
  });
});
