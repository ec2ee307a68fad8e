import { generateKeyPair, withIdentifier } from "@haki/credentials/keys";
import {
  buildStatusListCredential,
  createStatusList,
  signStatusListCredential,
} from "@haki/status-list";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyFetchedStatusList, withMaxAge } from "./status";
import { createTestWorld, type TestWorld } from "./testing";

const NOW = new Date("2027-03-10T09:00:00Z");
let world: TestWorld;
beforeAll(async () => {
  world = await createTestWorld({ now: NOW });
});

/** The world's revocation list as the device fetches and verifies it now. */
async function fetchRevocationList(): ReturnType<typeof verifyFetchedStatusList> {
  const jwts = await world.statusListJwts();
  return verifyFetchedStatusList(
    jwts[world.statusUrls.revocation] ?? "",
    world.statusUrls.revocation,
    world.bundle,
    NOW,
  );
}

describe("status lists on the device", () => {
  it("verifies fetched lists with the issuer key from the bundle", async () => {
    world.revoked.add(9);
    const cache = await fetchRevocationList();
    expect(cache).toMatchObject({
      url: world.statusUrls.revocation,
      purpose: "revocation",
      issuer: world.issuer.did,
    });
    expect(cache.fetchedAt).toEqual(NOW);
  });

  it("refuses a list from an untrusted issuer, a list served at the wrong URL, and junk", async () => {
    const stranger = withIdentifier(await generateKeyPair(), "did:web:evil.test", "key-1");
    const payload = buildStatusListCredential({
      url: world.statusUrls.revocation,
      issuer: stranger.did,
      purpose: "revocation",
      list: createStatusList(),
      issuedAt: NOW,
    });
    const evil = await signStatusListCredential(payload, stranger.privateKey, {
      kid: stranger.kid,
    });
    await expect(
      verifyFetchedStatusList(evil, world.statusUrls.revocation, world.bundle, NOW),
    ).rejects.toMatchObject({ code: "ERR_STATUS_LIST_INVALID" });
    const jwts = await world.statusListJwts();
    await expect(
      verifyFetchedStatusList(
        jwts[world.statusUrls.revocation] ?? "",
        world.statusUrls.suspension,
        world.bundle,
        NOW,
      ),
    ).rejects.toMatchObject({ code: "ERR_STATUS_LIST_INVALID" });
    await expect(
      verifyFetchedStatusList("junk", world.statusUrls.revocation, world.bundle, NOW),
    ).rejects.toMatchObject({ code: "ERR_STATUS_LIST_INVALID" });
  });

  it("applies the operator's age limit", async () => {
    const cache = await fetchRevocationList();
    const [limited] = withMaxAge([cache], 6);
    expect(limited?.validUntil).toEqual(new Date(NOW.getTime() + 6 * 3_600_000));
  });
});
