import "fake-indexeddb/auto";
import { verifyRelayOpening } from "@haki/openid4vp/relay-auth";
import { encodeProof } from "@haki/qr/codec";
import type { HandOverFeedResponse } from "@haki/redemption/hand-over-feed";
import { encodeSetupCode, ISSUER_ENDPOINTS } from "@haki/redemption/setup";
import { describe, expect, it } from "vitest";
import { createFakeIssuer, fetchVia } from "../../e2e/fake-issuer";
import { openVerifierDb } from "../storage/db";
import { enrolDevice } from "./enrol";
import { refreshAll } from "./refresh";
import { checkScannedText, readCheckContext } from "./scan-check";

const NOW = new Date("2027-03-10T09:00:00Z");
const now = () => NOW.getTime();

describe("issue 12, relay: the verifier app's refresh and the hand-over feed", () => {
  it("asks for other devices' hand-overs signed by its own key, merges them, and then refuses a card handed over elsewhere", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const db = await openVerifierDb(`feed-${Math.random()}`);
    await enrolDevice({ db, setupText: encodeSetupCode(issuer.world.setup), fetch: fetchVia(issuer), now });
    const qr = encodeProof(await issuer.world.issue({ index: 3 }), { issuers: [issuer.world.issuer.did] });
    const first = await checkScannedText(qr, await readCheckContext(db, NOW));
    if (first.outcome !== "green") throw new Error(`expected green, got ${first.code}`);

    const feed: HandOverFeedResponse = {
      handOvers: [{ receipt: "r".repeat(22), entitlement: first.entitlement, redemption: first.redemption, amount: first.available, total: first.available, at: now() / 1000 }],
      cursor: "1",
      more: false,
    };
    const asked: { cursor?: string }[] = [];
    const url = `https://issuer.test${ISSUER_ENDPOINTS.handOvers}`;
    const base = fetchVia(issuer);
    const fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
      if (input !== url) return base(input, init);
      const body = JSON.parse(String(init.body)) as { proof: string; cursor?: string };
      await verifyRelayOpening(body.proof, (id) => issuer.state.devices.get(id), url, NOW);
      asked.push({ ...(body.cursor ? { cursor: body.cursor } : {}) });
      return Response.json(asked.length === 1 ? feed : { handOvers: [], cursor: "1", more: false });
    };
    expect((await refreshAll({ db, fetch, now })).handOvers).toBe("updated");
    const again = await checkScannedText(qr, await readCheckContext(db, NOW));
    expect(again).toMatchObject({ outcome: "red", code: "ERR_ALREADY_REDEEMED" });
    expect((await refreshAll({ db, fetch, now })).handOvers).toBe("unchanged");
    expect(asked).toEqual([{}, { cursor: "1" }]);
    // No network: the books stay as they are.
    expect((await refreshAll({ db, fetch: async () => Promise.reject(new TypeError("Failed to fetch")), now })).handOvers).toBe("failed");
    expect(await db.getHandOverCursor()).toBe("1");
  });
});
