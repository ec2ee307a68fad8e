import { beforeAll, describe, expect, it } from "vitest";
import { createStatusLookup } from "@haki/status-list";
import { isRefreshDue, refreshStatusLists, refreshTrustData, type FetchText } from "./refresh";
import { createMemoryStore } from "./stores";
import { createTestWorld, type TestWorld } from "./testing";

const NOW = new Date("2027-03-10T09:00:00Z");
const MIN = 60_000;
const BUNDLE_URL = "https://issuer.test/api/verifier/trust-bundle";

let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld({ now: NOW });
});

/** A network that serves whatever `served` holds now (URL -> body); anything else fails. */
function network(served: Map<string, string>): FetchText {
  return async (url) => {
    const body = served.get(url);
    if (body === undefined) throw new TypeError("Failed to fetch");
    return body;
  };
}

async function enrolledStore(served: Map<string, string>, at = NOW.getTime()) {
  const store = createMemoryStore();
  await store.putTrust({ jws: world.bundleJws, bundle: world.bundle, fetchedAt: at });
  const lists = await refreshStatusLists({ store, fetchText: network(served), now: () => at });
  expect(lists.every((l) => l.ok)).toBe(true);
  return store;
}

const revocationEntry = (index: number) => ({
  id: `${world.statusUrls.revocation}#${index}`,
  type: "BitstringStatusListEntry" as const,
  statusPurpose: "revocation" as const,
  statusListIndex: String(index),
  statusListCredential: world.statusUrls.revocation,
});

describe("refreshing the device's trust data", () => {
  it("issue 12, rollback: a status list replaced by an older signed version is refused (ERR_STATUS_LIST_ROLLBACK) and the newer copy stays", async () => {
    world.revoked.clear();
    const before = await world.statusListJwts(NOW);
    world.revoked.add(21);
    const after = await world.statusListJwts(new Date(NOW.getTime() + 10 * MIN));
    const served = new Map(Object.entries(after));
    const store = await enrolledStore(served, NOW.getTime() + 11 * MIN);
    const lookup = async () =>
      createStatusLookup(await store.getStatusLists(), {
        now: () => new Date(NOW.getTime() + 30 * MIN),
      })(revocationEntry(21));
    expect(await lookup()).toBe(true);

    // A proxy replays the lists signed before the cancellation.
    for (const [url, jwt] of Object.entries(before)) served.set(url, jwt);
    const report = await refreshStatusLists({
      store,
      fetchText: network(served),
      now: () => NOW.getTime() + 20 * MIN,
    });
    expect(report).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          url: world.statusUrls.revocation,
          ok: false,
          code: "ERR_STATUS_LIST_ROLLBACK",
        }),
      ]),
    );
    expect(await lookup()).toBe(true);
    const held = (await store.getStatusLists()).find((l) => l.url === world.statusUrls.revocation);
    expect(held?.issuedAt).toEqual(new Date(NOW.getTime() + 10 * MIN));

    // The same version fetched again is fine (and counts as a fresh fetch).
    for (const [url, jwt] of Object.entries(after)) served.set(url, jwt);
    const again = await refreshStatusLists({
      store,
      fetchText: network(served),
      now: () => NOW.getTime() + 25 * MIN,
    });
    expect(again.every((l) => l.ok)).toBe(true);
    expect((await store.getStatusLists())[0]?.fetchedAt).toEqual(
      new Date(NOW.getTime() + 25 * MIN),
    );
  });

  it("issue 12, rollback: the trust bundle never goes backwards either (ERR_TRUST_BUNDLE_ROLLBACK)", async () => {
    const served = new Map(Object.entries(await world.statusListJwts(NOW)));
    const store = await enrolledStore(served);
    const newer = await world.signBundle({ seq: 5 });
    served.set(BUNDLE_URL, JSON.stringify({ bundle: newer }));
    const up = await refreshTrustData({
      store,
      fetchText: network(served),
      trustBundleUrl: BUNDLE_URL,
      now: () => NOW.getTime() + MIN,
    });
    expect(up.trust).toBe("updated");
    served.set(BUNDLE_URL, JSON.stringify({ bundle: world.bundleJws }));
    const back = await refreshTrustData({
      store,
      fetchText: network(served),
      trustBundleUrl: BUNDLE_URL,
      now: () => NOW.getTime() + 2 * MIN,
    });
    expect(back).toMatchObject({ trust: "failed", trustCode: "ERR_TRUST_BUNDLE_ROLLBACK" });
    expect((await store.getTrust())?.bundle.seq).toBe(5);
    expect(back.lists.every((l) => l.ok)).toBe(true);
  });

  it("issue 12, ttl: a refresh is due once a list's ttl passed (or a list is missing), while the lists keep answering", async () => {
    const served = new Map(Object.entries(await world.statusListJwts(NOW)));
    const store = await enrolledStore(served);
    const trust = await store.getTrust();
    const lists = await store.getStatusLists();
    expect(isRefreshDue(trust, lists, new Date(NOW.getTime() + 4 * MIN))).toBe(false);
    expect(isRefreshDue(trust, lists, new Date(NOW.getTime() + 5 * MIN))).toBe(true);
    expect(isRefreshDue(trust, lists.slice(1), new Date(NOW.getTime() + MIN))).toBe(true);
    expect(isRefreshDue(undefined, lists, new Date(NOW.getTime() + 6 * MIN))).toBe(false);
    const lookup = createStatusLookup(lists, { now: () => new Date(NOW.getTime() + 6 * MIN) });
    expect(lookup(revocationEntry(1))).toBe(false);
  });

  it("keeps what it holds when the network is gone, and skips a device that is not enrolled", async () => {
    const served = new Map(Object.entries(await world.statusListJwts(NOW)));
    const store = await enrolledStore(served);
    const offline = await refreshTrustData({
      store,
      fetchText: network(new Map()),
      trustBundleUrl: BUNDLE_URL,
      now: () => NOW.getTime() + MIN,
    });
    expect(offline.trust).toBe("failed");
    expect(offline.lists.map((l) => l.ok)).toEqual([false, false]);
    expect(await store.getStatusLists()).toHaveLength(2);
    expect(
      await refreshTrustData({
        store: createMemoryStore(),
        fetchText: network(served),
        trustBundleUrl: BUNDLE_URL,
        now: () => 0,
      }),
    ).toEqual({ trust: "skipped", lists: [] });
  });
});
