import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signCardStateRequest } from "@haki/card-state/request";
import { CardStateResponse } from "@haki/card-state/response";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { entitlementKey, newReceiptId, signReceipt, type Receipt } from "@haki/redemption/receipts";
import { testProviders } from "@haki/db/testing";
import { createTestContext, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { saveAreaList } from "@/server/areas/save-area-list";
import { saveProgrammeContact } from "@/server/programmes/save-programme-contact";
import { changeStatus } from "@/server/status/change-status";
import { statusReasonText } from "@/server/status/status-reasons";
import { ingestReceipts } from "@/server/verifier/ingest-receipts";
import { saveServicePoint } from "@/server/verifier/service-points";
import { enrolTestDevice } from "@/test/devices";
import { POST as cardState, OPTIONS } from "./card-state/route";

describe.each(testProviders())("POST /api/wallet/card-state on %s", (provider) => {
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  let holder: HakiKeyPair;
  let stranger: HakiKeyPair;
  const ask = async (key: HakiKeyPair, ids: string[]) =>
    callRoute(cardState, { method: "POST", body: { request: await signCardStateRequest({ holder: key, audience: "https://issuer.haki.test", credentials: ids, now: t.clock.now }) } });
  const idOf = (i: number) => `urn:uuid:${fx.entitlements[i]!.id}`;

  beforeAll(async () => {
    t = await createTestContext(provider);
    fx = await createIssuedCycle(t.ctx, 3);
    holder = await generateKeyPair();
    stranger = await generateKeyPair();
    // As OpenID4VCI delivery records it: card 0 is bound to the holder's key, card 1 to someone else's.
    await t.ctx.db.entitlement.update({ where: { id: fx.entitlements[0]!.id }, data: { holderDid: holder.did } });
    await t.ctx.db.entitlement.update({ where: { id: fx.entitlements[1]!.id }, data: { holderDid: stranger.did } });
    await t.ctx.db.programme.update({ where: { id: fx.programmeId }, data: { redemption: "partial" } });
    await saveProgrammeContact(t.ctx, { programmeId: fx.programmeId, contact: "Call 0800 720 720 (free)" }, fx.officer.actor);
    await saveAreaList(t.ctx, [{ code: "KE-047", name: "Nairobi" }], fx.officer.actor);
    const programme = (await t.ctx.db.programme.findUniqueOrThrow({ where: { id: fx.programmeId } })).code;
    await saveServicePoint(t.ctx, { id: "sp-nairobi-1", name: "Gikomba market stall", area: "KE-047", programmes: [programme] }, fx.officer.actor);

    // Two real hand-overs, 4 kg then 6 kg, from an enrolled device, through receipt intake.
    const { deviceId, key: device } = await enrolTestDevice(t.ctx, "sp-nairobi-1", fx.officer.actor);
    const e = fx.entitlements[0]!;
    const parts = { issuer: t.ctx.did, programme, cycle: "2027-03", beneficiary: e.beneficiary.ref };
    const receipt = (quantity: number, remaining: number, at: number): Receipt => ({
      v: 1,
      id: newReceiptId(),
      ...parts,
      entitlement: entitlementKey(parts),
      credential: idOf(0),
      servicePoint: "sp-nairobi-1",
      device: deviceId,
      redemption: "partial",
      handedOver: { type: "InKind", quantity, unit: "kg", item: "Maize flour" },
      remaining,
      visualCheck: false,
      at,
    });
    const receipts = [receipt(4, 21, 1_804_000_000), receipt(6, 15, 1_804_086_400)];
    const signed = await Promise.all(receipts.map(async (r) => ({ id: r.id, jws: await signReceipt(r, { privateKey: device.privateKey, deviceId }) })));
    expect(await ingestReceipts(t.ctx, { receipts: signed })).toMatchObject({ accepted: receipts.map((r) => r.id) });
  }, 60_000);
  afterAll(() => t.close());

  it("tells the holder what is left after the hand-overs, where and when they were, and whom to contact", async () => {
    const res = await ask(holder, [idOf(0)]);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = CardStateResponse.parse(await res.json());
    expect(body.cards).toEqual([
      {
        id: idOf(0),
        status: "active",
        programme: expect.objectContaining({ name: "Food basket", contact: "Call 0800 720 720 (free)" }),
        area: { code: "KE-047", name: "Nairobi" },
        benefit: { type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" },
        total: 25,
        left: 15,
        handOvers: [
          { at: new Date(1_804_000_000_000).toISOString(), servicePoint: "Gikomba market stall", place: "Nairobi", amount: 4 },
          { at: new Date(1_804_086_400_000).toISOString(), servicePoint: "Gikomba market stall", place: "Nairobi", amount: 6 },
        ],
      },
    ]);
  });

  it("says nothing about cards bound to another key or that do not exist", async () => {
    const body = CardStateResponse.parse(await (await ask(holder, [idOf(1), idOf(2), "urn:uuid:00000000-0000-4000-8000-000000000000", "not-a-card"])).json());
    expect(body.cards).toEqual([]);
    const theirs = CardStateResponse.parse(await (await ask(stranger, [idOf(0), idOf(1)])).json());
    expect(theirs.cards.map((c) => c.id)).toEqual([idOf(1)]);
    expect(theirs.cards[0]?.handOvers).toEqual([]);
  });

  it("gives the reason of a suspension as a code, never the officer's note", async () => {
    await changeStatus(t.ctx, { action: "suspend", entitlementId: fx.entitlements[0]!.id, reason: statusReasonText("review", "visit on 3 March by J. Mwangi") }, fx.officer.actor);
    const card = CardStateResponse.parse(await (await ask(holder, [idOf(0)])).json()).cards[0];
    expect(card).toMatchObject({ status: "suspended", reason: "review", changedAt: t.clock.now.toISOString() });
    expect(JSON.stringify(card)).not.toContain("Mwangi");
    await changeStatus(t.ctx, { action: "revoke", entitlementId: fx.entitlements[0]!.id, reason: "Phone reported stolen" }, fx.officer.actor);
    const revoked = CardStateResponse.parse(await (await ask(holder, [idOf(0)])).json()).cards[0];
    expect(revoked?.status).toBe("revoked");
    expect(revoked?.reason).toBeUndefined();
    expect(JSON.stringify(revoked)).not.toContain("stolen");
  });

  it("refuses a replayed, stale, forged or malformed request", async () => {
    const jws = await signCardStateRequest({ holder, audience: "https://issuer.haki.test", credentials: [idOf(0)], now: t.clock.now });
    const post = (body: object) => callRoute(cardState, { method: "POST", body });
    expect((await post({ request: jws })).status).toBe(200);
    const replay = await post({ request: jws });
    expect(replay.status).toBe(403);
    expect(await replay.json()).toMatchObject({ error: { code: "ERR_FORBIDDEN", details: { reason: "ERR_CARD_STATE_REPLAYED" } } });
    const old = await signCardStateRequest({ holder, audience: "https://issuer.haki.test", credentials: [idOf(0)], now: new Date(t.clock.now.getTime() - 180_000) });
    expect(await (await post({ request: old })).json()).toMatchObject({ error: { code: "ERR_FORBIDDEN", details: { reason: "ERR_CARD_STATE_REQUEST_STALE" } } });
    const elsewhere = await signCardStateRequest({ holder, audience: "https://other.example", credentials: [idOf(0)], now: t.clock.now });
    expect(await (await post({ request: elsewhere })).json()).toMatchObject({ error: { details: { reason: "ERR_CARD_STATE_AUDIENCE" } } });
    const [h, p] = jws.split(".");
    const forged = `${h}.${p}.${(await signCardStateRequest({ holder: stranger, audience: "https://issuer.haki.test", credentials: [idOf(0)], now: t.clock.now })).split(".")[2]}`;
    expect(await (await post({ request: forged })).json()).toMatchObject({ error: { details: { reason: "ERR_CARD_STATE_SIGNATURE_INVALID" } } });
    for (const body of [{}, { request: "" }, { request: "a.b.c" }]) expect(await errorCode(await post(body))).toBe("ERR_BAD_REQUEST");
    expect(OPTIONS().status).toBe(204);
  });
});
