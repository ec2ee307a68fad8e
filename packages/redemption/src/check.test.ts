import { generateKeyPair, withIdentifier, type HakiKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkProof, type CheckContext, type Decision, type GreenDecision } from "./check";
import { REJECTION_CODES, type RejectionCode } from "./codes";
import { planRedemption } from "./ledger";
import { entitlementKey } from "./receipts";
import { defaultSettings } from "./settings";
import { createMemoryStore, type LocalStore } from "./stores";
import { outboxItemFor } from "./sync-queue";
import { checkContextFor, createTestWorld, type DeviceState, type TestWorld } from "./testing";

const NOW = new Date("2027-03-10T09:00:00Z");
const HOUR = 3_600_000;
const tested = new Set<RejectionCode>();

let world: TestWorld;
let holder: HakiKeyPair;
let state: DeviceState;

beforeAll(async () => {
  world = await createTestWorld({ now: NOW });
  holder = await generateKeyPair();
  world.revoked.add(13);
  world.suspended.add(14);
  state = await world.deviceState();
});

/** The holder's code for the card at `index` of the world, signed now. */
async function presentCard(index: number) {
  const jwt = await signPresentation(await world.issue({ index, holder }), holder, { now: NOW });
  return { kind: "presentation" as const, jwt };
}

function ctx(
  over: Partial<CheckContext> = {},
  store: LocalStore = createMemoryStore(),
): CheckContext {
  return checkContextFor(world, state, { seen: store, balances: store, ...over });
}

/** Records a first hand-over on this device (`amount` for a partial one), as the counter does after a green check. */
async function redeemOnDevice(
  store: LocalStore,
  d: GreenDecision,
  { amount, at = 1 }: { amount?: number; at?: number },
): Promise<void> {
  const plan = planRedemption(
    { entitlement: d.entitlement, benefit: d.benefit, redemption: d.redemption },
    undefined,
    { amount, receiptId: "r1", at },
  );
  await store.commitRedemption({
    balance: plan.balance,
    previous: undefined,
    item: outboxItemFor({ id: "r1", entitlement: d.entitlement }, "x.y.z", 1),
  });
}

function expectRed(d: Decision, code: RejectionCode): void {
  expect(d.outcome).toBe("red");
  if (d.outcome === "red") {
    expect(d.code).toBe(code);
    expect(d.reasonKey).toBe(`reason.${code}`);
  }
  tested.add(code);
}

const paper = (index = 1, extra: Parameters<TestWorld["issue"]>[0] = { index }) =>
  world.issue({ ...extra, index });

describe("checkProof: green answers", () => {
  it("accepts a paper card without holder key, asking for a visual check", async () => {
    const d = await checkProof({ kind: "credential", jwt: await paper() }, ctx());
    expect(d).toMatchObject({
      outcome: "green",
      visualCheck: true,
      displayName: "Amina Njoroge",
      benefit: { type: "Cash", amount: 3000, currency: "KES" },
      available: 3000,
      programme: { id: "cash-transfer", name: "Cash Transfer" },
      entitlement: entitlementKey({
        issuer: world.issuer.did,
        programme: "cash-transfer",
        cycle: "2027-03",
        beneficiary: "B-0001",
      }),
    });
  });

  it("accepts a fresh presentation from the holder's phone, with no visual check needed", async () => {
    const vc = await world.issue({ index: 2, holder });
    const vp = await signPresentation(vc, holder, { now: new Date(NOW.getTime() - 30_000) });
    const d = await checkProof({ kind: "presentation", jwt: vp }, ctx({ locale: "sw" }));
    expect(d).toMatchObject({
      outcome: "green",
      visualCheck: false,
      programme: { name: "Uhamisho wa fedha" },
    });
    if (d.outcome === "green") expect(d.presentationId).toMatch(/^[A-Za-z0-9_-]{8,}$/);
  });

  it("shows what is left of a partial entitlement on this device", async () => {
    const store = createMemoryStore();
    const jwt = await paper(3, {
      index: 3,
      subject: {
        redemption: "partial",
        benefit: { type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" },
      },
    });
    const first = await checkProof({ kind: "credential", jwt }, ctx({}, store));
    if (first.outcome !== "green") throw new Error("expected green");
    await redeemOnDevice(store, first, { amount: 10 });
    const again = await checkProof({ kind: "credential", jwt }, ctx({}, store));
    expect(again).toMatchObject({ outcome: "green", available: 15 });
  });
});

describe("checkProof: each rejection reason", () => {
  it("ERR_NOT_ENROLLED without trust bundle or with an unknown service point", async () => {
    const jwt = await paper();
    expectRed(
      await checkProof({ kind: "credential", jwt }, ctx({ trust: undefined })),
      "ERR_NOT_ENROLLED",
    );
    expectRed(
      await checkProof({ kind: "credential", jwt }, ctx({ servicePointId: "sp-gone" })),
      "ERR_NOT_ENROLLED",
    );
  });

  it("ERR_TRUST_STALE when the bundle is older than the operator allows (policy: refuse)", async () => {
    const settings = {
      ...defaultSettings(),
      maxTrustAgeHours: 24,
      whenOutdated: "refuse" as const,
    };
    const old = { ...state.trust, fetchedAt: NOW.getTime() - 25 * HOUR };
    expectRed(
      await checkProof({ kind: "credential", jwt: await paper() }, ctx({ trust: old, settings })),
      "ERR_TRUST_STALE",
    );
    const ok = { ...state.trust, fetchedAt: NOW.getTime() - 23 * HOUR };
    expect(
      (await checkProof({ kind: "credential", jwt: await paper() }, ctx({ trust: ok, settings })))
        .outcome,
    ).toBe("green");
  });

  it("ERR_PROOF_MALFORMED for junk and truncated codes", async () => {
    expectRed(
      await checkProof({ kind: "credential", jwt: "not-a-jwt" }, ctx()),
      "ERR_PROOF_MALFORMED",
    );
    const jwt = await paper();
    expectRed(
      await checkProof({ kind: "credential", jwt: jwt.slice(0, 40) }, ctx()),
      "ERR_PROOF_MALFORMED",
    );
    expectRed(
      await checkProof({ kind: "presentation", jwt: "a.b.c" }, ctx()),
      "ERR_PROOF_MALFORMED",
    );
  });

  it("ERR_SIGNATURE_INVALID for a tampered card", async () => {
    const [h, p, s] = (await paper()).split(".");
    const payload = JSON.parse(Buffer.from(p ?? "", "base64url").toString()) as {
      vc: { credentialSubject: { benefit: { amount: number } } };
    };
    payload.vc.credentialSubject.benefit.amount = 30000;
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    expectRed(
      await checkProof({ kind: "credential", jwt: forged }, ctx()),
      "ERR_SIGNATURE_INVALID",
    );
  });

  it("ERR_ISSUER_UNTRUSTED for a card from another issuer", async () => {
    const stranger = withIdentifier(await generateKeyPair(), "did:web:fake-ministry.test", "key-1");
    expectRed(
      await checkProof(
        { kind: "credential", jwt: await paper(1, { index: 1, issuerKey: stranger }) },
        ctx(),
      ),
      "ERR_ISSUER_UNTRUSTED",
    );
  });

  it("ERR_NOT_AN_ENTITLEMENT for another credential signed by a trusted issuer", async () => {
    const statusListJwt = Object.values(await world.statusListJwts())[0] ?? "";
    expectRed(
      await checkProof({ kind: "credential", jwt: statusListJwt }, ctx()),
      "ERR_NOT_AN_ENTITLEMENT",
    );
  });

  it("ERR_CREDENTIAL_NOT_YET_VALID and ERR_CREDENTIAL_EXPIRED against the fixed clock", async () => {
    const future = await paper(1, {
      index: 1,
      validFrom: new Date(NOW.getTime() + 48 * HOUR),
      validUntil: new Date(NOW.getTime() + 96 * HOUR),
    });
    const d = await checkProof({ kind: "credential", jwt: future }, ctx());
    expectRed(d, "ERR_CREDENTIAL_NOT_YET_VALID");
    expect(d.outcome === "red" && d.details.validFrom).toBe("2027-03-12");
    const past = await paper(1, {
      index: 1,
      validFrom: new Date(NOW.getTime() - 96 * HOUR),
      validUntil: new Date(NOW.getTime() - 48 * HOUR),
    });
    expectRed(await checkProof({ kind: "credential", jwt: past }, ctx()), "ERR_CREDENTIAL_EXPIRED");
  });

  it("ERR_CREDENTIAL_REVOKED and ERR_CREDENTIAL_SUSPENDED from the cached lists", async () => {
    expectRed(
      await checkProof({ kind: "credential", jwt: await paper(13) }, ctx()),
      "ERR_CREDENTIAL_REVOKED",
    );
    expectRed(
      await checkProof({ kind: "credential", jwt: await paper(14) }, ctx()),
      "ERR_CREDENTIAL_SUSPENDED",
    );
    const proof = await presentCard(13);
    expectRed(await checkProof(proof, ctx()), "ERR_CREDENTIAL_REVOKED");
  });

  it("ERR_STATUS_UNKNOWN without lists, ERR_STATUS_STALE with lists older than the operator allows (policy: refuse)", async () => {
    expectRed(
      await checkProof({ kind: "credential", jwt: await paper() }, ctx({ statusLists: [] })),
      "ERR_STATUS_UNKNOWN",
    );
    const settings = {
      ...defaultSettings(),
      maxStatusAgeHours: 12,
      whenOutdated: "refuse" as const,
    };
    const d = await checkProof(
      { kind: "credential", jwt: await paper() },
      ctx({ settings, now: new Date(NOW.getTime() + 13 * HOUR) }),
    );
    expectRed(d, "ERR_STATUS_STALE");
    expect(d.outcome === "red" && d.details.updated).toBe("2027-03-10");
  });

  it("ERR_HOLDER_MISMATCH when another phone presents the card", async () => {
    const vc = await world.issue({ index: 2, holder });
    const thief = await generateKeyPair();
    // signPresentation refuses to sign another holder's card, so build the forgery by hand.
    const vp = await signPresentation(await world.issue({ index: 2 }), thief, { now: NOW });
    const [h, p, s] = vp.split(".");
    const body = JSON.parse(Buffer.from(p ?? "", "base64url").toString()) as {
      vp: { verifiableCredential: string[] };
    };
    body.vp.verifiableCredential = [vc];
    const { signCompactForTest } = await import("./lib/test-jws");
    const forged = await signCompactForTest(h ?? "", body, thief.privateKey);
    expect(s).toBeTruthy();
    expectRed(
      await checkProof({ kind: "presentation", jwt: forged }, ctx()),
      "ERR_HOLDER_MISMATCH",
    );
  });

  it("ERR_PRESENTATION_STALE outside the operator's window", async () => {
    const vc = await world.issue({ index: 2, holder });
    const settings = { ...defaultSettings(), presentationWindowSeconds: 60, clockSkewSeconds: 0 };
    const old = await signPresentation(vc, holder, { now: new Date(NOW.getTime() - 61_000) });
    expectRed(
      await checkProof({ kind: "presentation", jwt: old }, ctx({ settings })),
      "ERR_PRESENTATION_STALE",
    );
    const fresh = await signPresentation(vc, holder, { now: new Date(NOW.getTime() - 59_000) });
    expect(
      (await checkProof({ kind: "presentation", jwt: fresh }, ctx({ settings }))).outcome,
    ).toBe("green");
  });

  it("ERR_PRESENTATION_REPLAYED when the same code is shown twice", async () => {
    const store = createMemoryStore();
    const proof = await presentCard(2);
    expect((await checkProof(proof, ctx({}, store))).outcome).toBe("green");
    expectRed(await checkProof(proof, ctx({}, store)), "ERR_PRESENTATION_REPLAYED");
  });

  it("a code shown again after its card was revoked says revoked, not replayed", async () => {
    const store = createMemoryStore();
    const proof = await presentCard(13);
    // Seen before the card was cancelled (green then), shown again with the new lists.
    await store.markSeen(decodePresentationId(proof.jwt), NOW.getTime() + 300_000);
    expectRed(await checkProof(proof, ctx({}, store)), "ERR_CREDENTIAL_REVOKED");
  });

  it("a refused presentation does not use up its one-time id", async () => {
    const store = createMemoryStore();
    const proof = await presentCard(2);
    expectRed(await checkProof(proof, ctx({ statusLists: [] }, store)), "ERR_STATUS_UNKNOWN");
    expect((await checkProof(proof, ctx({}, store))).outcome).toBe("green");
  });

  it("ERR_LIVE_PROOF_REQUIRED for a bare card that names a holder key", async () => {
    expectRed(
      await checkProof({ kind: "credential", jwt: await world.issue({ index: 2, holder }) }, ctx()),
      "ERR_LIVE_PROOF_REQUIRED",
    );
  });

  it("ERR_PROGRAMME_NOT_ALLOWED when this service point does not serve the programme", async () => {
    const jwt = await paper(1, {
      index: 1,
      subject: { programme: { id: "school-fees", name: "School Fees Waiver" } },
    });
    const d = await checkProof({ kind: "credential", jwt }, ctx());
    expectRed(d, "ERR_PROGRAMME_NOT_ALLOWED");
    expect(d.displayName).toBe("Amina Njoroge");
  });

  it("ERR_SERVICE_POINT_NOT_ALLOWED when the card names other service points", async () => {
    const jwt = await paper(1, { index: 1, subject: { servicePoints: ["sp-other-02"] } });
    expectRed(
      await checkProof({ kind: "credential", jwt }, ctx()),
      "ERR_SERVICE_POINT_NOT_ALLOWED",
    );
    const here = await paper(1, {
      index: 1,
      subject: { servicePoints: [world.servicePoint.id], area: "KE-001" },
    });
    expect((await checkProof({ kind: "credential", jwt: here }, ctx())).outcome).toBe("green");
  });

  it("ERR_AREA_NOT_ALLOWED when the card is for another area", async () => {
    expectRed(
      await checkProof(
        { kind: "credential", jwt: await paper(1, { index: 1, subject: { area: "KE-001" } }) },
        ctx(),
      ),
      "ERR_AREA_NOT_ALLOWED",
    );
    expect(
      (
        await checkProof(
          { kind: "credential", jwt: await paper(1, { index: 1, subject: { area: "KE-047" } }) },
          ctx(),
        )
      ).outcome,
    ).toBe("green");
  });

  it("ERR_ALREADY_REDEEMED for a single-use entitlement handed over on this device, even from a re-issued card", async () => {
    const store = createMemoryStore();
    const d = await checkProof({ kind: "credential", jwt: await paper(1) }, ctx({}, store));
    if (d.outcome !== "green") throw new Error("expected green");
    await redeemOnDevice(store, d, { at: 1_800_000_000 });
    expectRed(
      await checkProof({ kind: "credential", jwt: await paper(1) }, ctx({}, store)),
      "ERR_ALREADY_REDEEMED",
    );
    expectRed(
      await checkProof({ kind: "credential", jwt: await paper(5) }, ctx({}, store)),
      "ERR_ALREADY_REDEEMED",
    );
  });

  it("ERR_BALANCE_USED_UP when a partial entitlement is used up", async () => {
    const store = createMemoryStore();
    const jwt = await paper(3, { index: 3, subject: { redemption: "partial" } });
    const d = await checkProof({ kind: "credential", jwt }, ctx({}, store));
    if (d.outcome !== "green") throw new Error("expected green");
    await redeemOnDevice(store, d, { amount: 3000 });
    expectRed(await checkProof({ kind: "credential", jwt }, ctx({}, store)), "ERR_BALANCE_USED_UP");
  });
});

afterAll(() => {
  // Every rejection code the check can give has a test above (the counter code's: counter-code.test.ts).
  expect([...tested].sort()).toEqual(REJECTION_CODES.filter((c) => !c.startsWith("ERR_COUNTER_CODE")).sort());
});

/** The `jti` of a VP-JWT (what the store records as seen). */
function decodePresentationId(vpJwt: string): string {
  return decodeJwt(vpJwt).jti as string;
}
