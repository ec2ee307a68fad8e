/**
 * Issue 12, relay: the balance is the issuer's. Two devices at one service point, with the real
 * verifier package (@haki/redemption: refresh, check, hand-over, the hand-over feed) fed what this
 * issuer really produces, through its route handlers in process: a card handed over at device A
 * is refused at device B once B has refreshed. And the feed route itself: other devices' hand-overs
 * only, for the programmes served, minimal data, paged, refused to a revoked device.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { signRelayOpening } from "@haki/openid4vp/relay-auth";
import { checkProof, type Decision } from "@haki/redemption/check";
import { recordHandOver } from "@haki/redemption/hand-over";
import { refreshHandOvers, type HandOverFeedResponse } from "@haki/redemption/hand-over-feed";
import { refreshTrustData } from "@haki/redemption/refresh";
import { defaultSettings } from "@haki/redemption/settings";
import { ISSUER_ENDPOINTS, parseSetupCode } from "@haki/redemption/setup";
import { createMemoryStore } from "@haki/redemption/stores";
import { verifyTrustBundle } from "@haki/redemption/trust-bundle";
import { testProviders } from "@haki/db/testing";
import { createTestContext, createTestUser, type TestContext } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { revokeDevice } from "@/server/verifier/devices";
import { FEED_SETTLE_MS } from "@/server/verifier/read-hand-overs";
import { createSetupCode, saveServicePoint } from "@/server/verifier/service-points";
import { POST as enrol } from "./enrol/route";
import { POST as receipts } from "./receipts/route";
import { POST as handOvers } from "./hand-overs/route";
import { deviceFetchText } from "@/test/device-fetch";

const ORIGIN = "https://issuer.haki.test";
const FEED_URL = ORIGIN + ISSUER_ENDPOINTS.handOvers;
type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;


describe.each(testProviders())("issue 12, relay: the hand-over feed on %s", (provider) => {
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  let other: Awaited<ReturnType<typeof createIssuedCycle>>;
  let admin: Awaited<ReturnType<typeof createTestUser>>;

  function setTime(ms: number) {
    t.clock.now = new Date(ms);
    vi.setSystemTime(ms);
  }
  const later = (ms: number) => setTime(Date.now() + ms);

  /** A verifier device, enrolled at `servicePoint` as the verifier app does it. */
  async function device(servicePoint: string) {
    const setup = parseSetupCode((await createSetupCode(t.ctx, servicePoint, admin.actor)).setupCode);
    const key: HakiKeyPair = await generateKeyPair({ extractable: false });
    const res = await callRoute(enrol as Route, { method: "POST", body: { code: setup.code, servicePoint, deviceKey: key.publicJwk } });
    const enrolled = (await res.json()) as { deviceId: string; bundle: string };
    const store = createMemoryStore();
    await store.putTrust({ jws: enrolled.bundle, bundle: await verifyTrustBundle(enrolled.bundle, { pinnedThumbprint: setup.bundleKey }), fetchedAt: Date.now() });
    await refreshTrustData({ store, fetchText: deviceFetchText, trustBundleUrl: ORIGIN + ISSUER_ENDPOINTS.trustBundle, now: () => Date.now() });
    const sent = new Set<string>();
    const me = { deviceId: enrolled.deviceId, privateKey: key.privateKey };
    const proof = (url = FEED_URL) => signRelayOpening(me, url, new Date(Date.now()));
    return {
      ...me,
      store,
      proof,
      check: async (jwt: string): Promise<Decision> =>
        checkProof({ kind: "credential", jwt }, { now: new Date(Date.now()), trust: await store.getTrust(), servicePointId: servicePoint, statusLists: await store.getStatusLists(), settings: defaultSettings(), seen: store, balances: store }),
      async handOver(jwt: string) {
        const d = await this.check(jwt);
        if (d.outcome !== "green") throw new Error(`expected green, got ${d.code}`);
        return recordHandOver({ store, decision: d, device: me, servicePoint, now: Date.now() });
      },
      /** Sends the receipts not sent yet, through the real receipts route. */
      async sync() {
        const items = (await store.listOutbox()).filter((i) => !sent.has(i.id));
        if (items.length === 0) return;
        const res = await callRoute(receipts as Route, { method: "POST", body: { receipts: items.map(({ id, jws }) => ({ id, jws })) } });
        expect(((await res.json()) as { accepted: string[] }).accepted).toHaveLength(items.length);
        items.forEach((i) => sent.add(i.id));
      },
      /** One page of the feed, straight from the route. */
      async page(body: { cursor?: string; limit?: number; proof?: string } = {}) {
        return callRoute(handOvers as Route, { method: "POST", path: ISSUER_ENDPOINTS.handOvers, body: { proof: await proof(), ...body } });
      },
      /** The verifier's refresh of the feed, posting to the real route. */
      refreshFeed: (limit?: number) =>
        refreshHandOvers({
          store,
          proof,
          ...(limit ? { limit } : {}),
          post: async (body) => (await callRoute(handOvers as Route, { method: "POST", path: ISSUER_ENDPOINTS.handOvers, body })).json(),
        }),
    };
  }

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    t = await createTestContext(provider);
    fx = await createIssuedCycle(t.ctx, 6);
    other = await createIssuedCycle(t.ctx, 1);
    setTime(Date.parse("2027-03-02T08:00:00Z"));
    admin = await createTestUser(t.ctx, ["admin"]);
    const code = async (id: string) => (await t.ctx.db.programme.findUniqueOrThrow({ where: { id } })).code;
    await saveServicePoint(t.ctx, { id: "sp-market", name: "Market shop", area: "KE-047", programmes: [await code(fx.programmeId)] }, admin.actor);
    await saveServicePoint(t.ctx, { id: "sp-clinic", name: "Clinic", area: "KE-047", programmes: [await code(other.programmeId)] }, admin.actor);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    vi.useRealTimers();
  });

  it("issue 12, relay: device B, after refreshing, refuses a card device A handed over (the issuer's hand-over feed)", async () => {
    const [a, b] = [await device("sp-market"), await device("sp-market")];
    const card = fx.entitlements[0]!.credential!;
    await a.handOver(card);
    await a.sync();
    // Before B hears of it, its own books say the card is whole (the relay's window today).
    expect(await b.check(card)).toMatchObject({ outcome: "green" });
    later(FEED_SETTLE_MS + 1_000);
    expect(await b.refreshFeed()).toEqual({ outcome: "updated", received: 1, more: false });
    expect(await b.check(card)).toMatchObject({ outcome: "red", code: "ERR_ALREADY_REDEEMED" });
    // A second refresh brings nothing new, and merging again changes nothing.
    expect(await b.refreshFeed()).toEqual({ outcome: "unchanged", received: 0, more: false });
    // Another card is untouched.
    expect(await b.check(fx.entitlements[1]!.credential!)).toMatchObject({ outcome: "green" });
  });

  it("serves other devices' hand-overs of the programmes served, minimal data, paged by a cursor, settled ones only", async () => {
    const [a, b, clinic] = [await device("sp-market"), await device("sp-market"), await device("sp-clinic")];
    // B has read everything so far; then A hands over three cards and B one.
    later(FEED_SETTLE_MS + 1_000);
    await b.refreshFeed();
    const before = await b.store.getHandOverCursor();
    expect(before).toMatch(/^\d+$/);
    await a.handOver(fx.entitlements[2]!.credential!);
    await a.sync();
    later(1_000);
    // Two hand-overs synced in one batch share the moment they came in.
    for (const e of fx.entitlements.slice(3, 5)) await a.handOver(e.credential!);
    await b.handOver(fx.entitlements[5]!.credential!);
    await a.sync();
    await b.sync();
    // Just received: not served yet (they may still be committing next to others).
    const settling = (await (await b.page({ cursor: before! })).json()) as HandOverFeedResponse;
    expect(settling).toEqual({ handOvers: [], cursor: before, more: false });
    later(FEED_SETTLE_MS + 1_000);
    const p1 = (await (await b.page({ cursor: before!, limit: 1 })).json()) as HandOverFeedResponse;
    expect(p1.handOvers).toHaveLength(1);
    expect(p1.more).toBe(true);
    // A page never ends inside one moment: the batch comes whole, even past the page size.
    const p2 = (await (await b.page({ cursor: p1.cursor!, limit: 1 })).json()) as HandOverFeedResponse;
    expect(p2.handOvers).toHaveLength(2);
    const p3 = (await (await b.page({ cursor: p2.cursor!, limit: 1 })).json()) as HandOverFeedResponse;
    expect(p3).toEqual({ handOvers: [], cursor: p2.cursor, more: false });
    const served = [...p1.handOvers, ...p2.handOvers, ...p3.handOvers];
    const ids = fx.entitlements.slice(2, 5).map((e) => `urn:uuid:${e.id}`);
    expect(served.map((h) => h.credential).sort()).toEqual(ids.sort());
    // No names, no device, no service point: what the device's books need, nothing more.
    for (const h of served) {
      expect(Object.keys(h).sort()).toEqual(["amount", "at", "credential", "entitlement", "receipt", "redemption", "total"]);
      expect(h).toMatchObject({ redemption: "single", amount: 25, total: 25 });
    }
    // A sees B's hand-over (and the first test's B saw A's), never its own.
    const forA = (await (await a.page()).json()) as HandOverFeedResponse;
    expect(forA.handOvers.map((h) => h.credential)).toContain(`urn:uuid:${fx.entitlements[5]!.id}`);
    expect(forA.handOvers.map((h) => h.credential)).not.toContain(ids[0]);
    // The clinic serves another programme: none of these.
    expect(((await (await clinic.page()).json()) as HandOverFeedResponse).handOvers).toEqual([]);
    // The verifier pages through it with a small page size too, bounded per refresh.
    expect(await a.refreshFeed(1)).toMatchObject({ outcome: "updated", more: false });
    expect(await a.check(fx.entitlements[5]!.credential!)).toMatchObject({ outcome: "red", code: "ERR_ALREADY_REDEEMED" });
  });

  it("refuses a revoked device (ERR_DEVICE_REVOKED), a proof for another URL or by an unknown key (ERR_FORBIDDEN), a forged cursor (400)", async () => {
    const d = await device("sp-market");
    expect((await d.page()).status).toBe(200);
    const wrongUrl = await d.page({ proof: await d.proof(ORIGIN + ISSUER_ENDPOINTS.bindingKeys) });
    expect([wrongUrl.status, await errorCode(wrongUrl)]).toEqual([403, "ERR_FORBIDDEN"]);
    const stranger = await generateKeyPair({ extractable: false });
    const unknown = await d.page({ proof: await signRelayOpening({ deviceId: d.deviceId, privateKey: stranger.privateKey }, FEED_URL, new Date(Date.now())) });
    expect([unknown.status, await errorCode(unknown)]).toEqual([403, "ERR_FORBIDDEN"]);
    expect((await d.page({ cursor: "x'; DROP TABLE" })).status).toBe(400);
    expect((await d.page({ limit: 10_000 })).status).toBe(400);
    await revokeDevice(t.ctx, { deviceId: d.deviceId, reason: "phone stolen" }, admin.actor);
    const revoked = await d.page();
    expect([revoked.status, await errorCode(revoked)]).toEqual([403, "ERR_DEVICE_REVOKED"]);
    expect(await d.refreshFeed()).toMatchObject({ outcome: "failed" });
  });
});
