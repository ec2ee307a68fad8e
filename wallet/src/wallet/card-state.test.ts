import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { verifyCardStateRequest } from "@haki/card-state/request";
import type { CardStateResponse } from "@haki/card-state/response";
import { MIN_PBKDF2_ITERATIONS } from "@haki/secure-store/crypto";
import { openWalletDb } from "../storage/db";
import { createProfile } from "../storage/profiles";
import { getRecord, putRecord } from "../storage/records";
import { refreshCardStates } from "./card-state";
import { createHolderKey } from "./holder-key";
import { StoredCredential } from "./schemas";
import { storedEntitlement } from "./testing";

const OFFICE = "https://pay.example.org";
const NOW = new Date("2027-03-15T12:00:00Z");

async function phoneWithCard(holder?: string) {
  const db = await openWalletDb(`card-state-${Math.random()}`);
  const s = await createProfile(db, { label: "Amina", pin: "482913" }, { iterations: MIN_PBKDF2_ITERATIONS });
  const key = await createHolderKey(db, s);
  const { payload, jwt } = storedEntitlement({
    id: "urn:uuid:4f0c1e6a-8a53-4e2b-9d9f-3c7f2b1a0e11",
    holder: holder ?? key.did,
    subject: { programme: { id: "food", name: "Food support" }, benefit: { type: "InKind", item: "Maize flour", quantity: 10, unit: "kg" }, redemption: "partial" },
  });
  const stored: StoredCredential = { jwt, receivedAt: NOW.toISOString(), issuerUrl: OFFICE };
  await putRecord(db, s, "credential", "c1", stored);
  return { db, s, key, id: payload.jti! };
}

function answer(id: string, over: Partial<CardStateResponse["cards"][number]> = {}): CardStateResponse {
  return {
    checkedAt: NOW.toISOString(),
    cards: [
      {
        id,
        status: "active",
        programme: { id: "food", name: "Food support", contact: "Call 0800 720 720" },
        area: { code: "KE-047", name: "Nairobi" },
        benefit: { type: "InKind", item: "Maize flour", quantity: 10, unit: "kg" },
        total: 10,
        left: 0,
        handOvers: [
          { at: "2027-03-10T09:00:00.000Z", servicePoint: "Gikomba stall", place: "Nairobi", amount: 4 },
          { at: "2027-03-12T09:00:00.000Z", servicePoint: "Gikomba stall", place: "Nairobi", amount: 6 },
        ],
        ...over,
      },
    ],
  };
}

describe("refreshCardStates", () => {
  it("asks the office with a fresh holder-signed request and keeps what it says with the card", async () => {
    const { db, s, key, id } = await phoneWithCard();
    const seen: string[] = [];
    const office = (async (url: string, init: RequestInit) => {
      expect(url).toBe(`${OFFICE}/api/wallet/card-state`);
      const { request } = JSON.parse(String(init.body)) as { request: string };
      const claims = await verifyCardStateRequest(request, { audience: OFFICE, now: NOW });
      expect(claims).toMatchObject({ iss: key.did, credentials: [id] });
      seen.push(claims.jti);
      return Response.json(answer(id));
    }) as typeof fetch;
    expect(await refreshCardStates(db, s, { fetch: office, now: NOW })).toBe(1);
    await refreshCardStates(db, s, { fetch: office, now: NOW });
    expect(new Set(seen).size).toBe(2);
    const card = await getRecord(db, s, "credential", "c1", StoredCredential);
    expect(card?.office?.card).toMatchObject({ left: 0, handOvers: [{ amount: 4 }, { amount: 6 }] });
    expect(card?.status).toEqual({ revoked: false, suspended: false, checkedAt: NOW.toISOString() });
  });

  it("records a cancellation with its reason, and keeps the last answer when the office cannot be asked", async () => {
    const { db, s, id } = await phoneWithCard();
    await refreshCardStates(db, s, { fetch: (async () => Response.json(answer(id, { status: "revoked", reason: "exit" }))) as typeof fetch, now: NOW });
    const offline = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    await expect(refreshCardStates(db, s, { fetch: offline, now: NOW })).rejects.toMatchObject({ code: "ERR_CARD_STATE_UNAVAILABLE" });
    await expect(refreshCardStates(db, s, { fetch: (async () => new Response("no", { status: 403 })) as typeof fetch, now: NOW })).rejects.toMatchObject({ code: "ERR_CARD_STATE_UNAVAILABLE", status: 403 });
    await expect(refreshCardStates(db, s, { fetch: (async () => Response.json({ cards: "x" })) as typeof fetch, now: NOW })).rejects.toMatchObject({ code: "ERR_CARD_STATE_UNAVAILABLE" });
    const card = await getRecord(db, s, "credential", "c1", StoredCredential);
    expect(card?.office?.card).toMatchObject({ status: "revoked", reason: "exit" });
    expect(card?.status?.revoked).toBe(true);
  });
});
