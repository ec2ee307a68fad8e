import "fake-indexeddb/auto";
import { generateKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { encodeProof } from "@haki/qr/codec";
import { encodeSetupCode } from "@haki/redemption/setup";
import { describe, expect, it } from "vitest";
import { createFakeIssuer, fetchVia, flaggedDoubleRedemptions } from "../../e2e/fake-issuer";
import { openVerifierDb } from "../storage/db";
import { enrolDevice } from "./enrol";
import { recordRedemption } from "./redeem";
import { refreshAll } from "./refresh";
import { checkScannedText, readCheckContext as context } from "./scan-check";
import { createReceiptSync } from "./sync";

const NOW = new Date("2027-03-10T09:00:00Z");
let dbn = 0;

describe("verifier flow against an in-process issuer", () => {
  it("enrols, checks offline, redeems once, and delivers the receipt exactly once", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW, loseFirstAck: true });
    const { world } = issuer;
    world.revoked.add(13);
    let online = true;
    let clock = NOW.getTime();
    const fetch = fetchVia(issuer, () => online);
    const db = await openVerifierDb(`flow-${dbn++}`);

    const enrolment = await enrolDevice({
      db,
      setupText: encodeSetupCode(world.setup),
      deviceLabel: "Counter 1",
      fetch,
      now: () => clock,
    });
    expect(enrolment).toMatchObject({ deviceId: "dev-1", servicePoint: world.servicePoint.id });
    expect(await db.getStatusLists()).toHaveLength(2);
    // The code is one-time: a second device cannot reuse it.
    const other = await openVerifierDb(`flow-${dbn++}`);
    await expect(
      enrolDevice({ db: other, setupText: encodeSetupCode(world.setup), fetch, now: () => clock }),
    ).rejects.toMatchObject({ status: 403 });

    online = false;
    expect((await refreshAll({ db, fetch, now: () => clock })).trust).toBe("failed");

    const holder = await generateKeyPair();
    const vc = await world.issue({ index: 2, holder });
    const qr = encodeProof(await signPresentation(vc, holder, { now: NOW }));
    const green = await checkScannedText(qr, await context(db, NOW));
    expect(green).toMatchObject({
      outcome: "green",
      displayName: "Amina Njoroge",
      visualCheck: false,
    });
    if (green.outcome !== "green") throw new Error("expected green");

    const receipt = await recordRedemption({ db, decision: green, enrolment, now: clock });
    expect(receipt).toMatchObject({ device: "dev-1", remaining: 0, handedOver: { amount: 3000 } });
    await expect(
      recordRedemption({ db, decision: green, enrolment, now: clock }),
    ).rejects.toMatchObject({ code: "ERR_ALREADY_REDEEMED" });

    const again = encodeProof(await signPresentation(vc, holder, { now: NOW }));
    expect(await checkScannedText(again, await context(db, NOW))).toMatchObject({
      outcome: "red",
      code: "ERR_ALREADY_REDEEMED",
    });
    expect(
      await checkScannedText(encodeProof(await world.issue({ index: 13 })), await context(db, NOW)),
    ).toMatchObject({
      outcome: "red",
      code: "ERR_CREDENTIAL_REVOKED",
    });
    expect(
      await checkScannedText("https://example.org/not-haki", await context(db, NOW)),
    ).toMatchObject({ outcome: "red", code: "ERR_PROOF_MALFORMED" });

    const queue = createReceiptSync({ db, issuer: enrolment.issuer, fetch, now: () => clock });
    expect(await queue.flush()).toMatchObject({ failed: 1, pending: 1 });
    online = true;
    clock = ((await queue.nextDue()) ?? clock) + 1;
    expect(await queue.flush()).toMatchObject({ failed: 1, pending: 1 }); // stored, answer lost
    clock = ((await queue.nextDue()) ?? clock) + 1;
    expect(await queue.flush()).toMatchObject({ sent: 1, pending: 0 });
    clock += 3_600_000;
    await queue.flush();
    expect([...issuer.state.receipts.keys()]).toEqual([receipt.id]);
    expect(issuer.state.deliveries).toBe(2);
    expect(flaggedDoubleRedemptions(issuer)).toEqual([]);
  });

  it("a device without its receipt key refuses to record a hand-over (ERR_NOT_ENROLLED) and changes nothing", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const db = await openVerifierDb(`flow-${dbn++}`);
    const enrolment = await enrolDevice({ db, setupText: encodeSetupCode(issuer.world.setup), fetch: fetchVia(issuer), now: () => NOW.getTime() });
    const green = await checkScannedText(encodeProof(await issuer.world.issue({ index: 5 })), await context(db, NOW));
    if (green.outcome !== "green") throw new Error("expected green");
    const keyless = await openVerifierDb(`flow-${dbn++}`);
    await expect(recordRedemption({ db: keyless, decision: green, enrolment, now: NOW.getTime() })).rejects.toMatchObject({ code: "ERR_NOT_ENROLLED" });
    expect(await keyless.listOutbox()).toEqual([]);
    expect(await keyless.getBalance(green.entitlement)).toBeUndefined();
  });

  it("checks against the lists in storage at the moment of the check: a revocation fetched since is used by the next scan", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    let clock = NOW.getTime();
    const fetch = fetchVia(issuer);
    const db = await openVerifierDb(`flow-${dbn++}`);
    await enrolDevice({ db, setupText: encodeSetupCode(issuer.world.setup), fetch, now: () => clock });
    const card = encodeProof(await issuer.world.issue({ index: 6 }));
    expect(await checkScannedText(card, await context(db, NOW))).toMatchObject({ outcome: "green" });
    // The office cancels the card; a second later the device refreshes ("Update now").
    issuer.world.revoked.add(6);
    clock += 1_000;
    await refreshAll({ db, fetch, now: () => clock });
    expect(await checkScannedText(card, await context(db, new Date(clock)))).toMatchObject({ outcome: "red", code: "ERR_CREDENTIAL_REVOKED" });
  });

  it("the issuer flags the same single-use entitlement redeemed on two devices", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const fetch = fetchVia(issuer);
    const dbs = [await openVerifierDb(`flow-${dbn++}`), await openVerifierDb(`flow-${dbn++}`)];
    const card = await issuer.world.issue({ index: 4 });
    for (const [i, db] of dbs.entries()) {
      issuer.state.usedCodes.clear();
      const enrolment = await enrolDevice({
        db,
        setupText: encodeSetupCode(issuer.world.setup),
        fetch,
        now: () => NOW.getTime() + i,
      });
      const d = await checkScannedText(encodeProof(card), await context(db, NOW));
      if (d.outcome !== "green") throw new Error("expected green");
      await recordRedemption({ db, decision: d, enrolment, now: NOW.getTime() + i });
      await createReceiptSync({
        db,
        issuer: enrolment.issuer,
        fetch,
        now: () => NOW.getTime() + i,
      }).flush();
    }
    expect(flaggedDoubleRedemptions(issuer)).toMatchObject([
      { kind: "single-use-redeemed-twice", devices: ["dev-1", "dev-2"] },
    ]);
  });

  it("tracks a partial balance across visits on this device", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const db = await openVerifierDb(`flow-${dbn++}`);
    const enrolment = await enrolDevice({
      db,
      setupText: encodeSetupCode(issuer.world.setup),
      fetch: fetchVia(issuer),
      now: () => NOW.getTime(),
    });
    const card = encodeProof(
      await issuer.world.issue({
        index: 6,
        subject: {
          redemption: "partial",
          benefit: { type: "InKind", item: "Maize flour", quantity: 25, unit: "kg" },
        },
      }),
    );
    const first = await checkScannedText(card, await context(db, NOW));
    if (first.outcome !== "green") throw new Error("expected green");
    expect(
      (await recordRedemption({ db, decision: first, amount: 10, enrolment, now: NOW.getTime() }))
        .remaining,
    ).toBe(15);
    const second = await checkScannedText(card, await context(db, NOW));
    expect(second).toMatchObject({ outcome: "green", available: 15 });
    if (second.outcome !== "green") throw new Error("expected green");
    await expect(
      recordRedemption({ db, decision: second, amount: 16, enrolment, now: NOW.getTime() }),
    ).rejects.toMatchObject({ code: "ERR_AMOUNT_EXCEEDS_BALANCE" });
    expect(
      (await recordRedemption({ db, decision: second, enrolment, now: NOW.getTime() })).remaining,
    ).toBe(0);
    expect(await checkScannedText(card, await context(db, NOW))).toMatchObject({
      outcome: "red",
      code: "ERR_BALANCE_USED_UP",
    });
  });
});

describe("what the scanner may read", () => {
  it("checks a Haki card carried as a plain JWT, and calls other credentials not an entitlement", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const db = await openVerifierDb(`flow-${dbn++}`);
    await enrolDevice({
      db,
      setupText: encodeSetupCode(issuer.world.setup),
      fetch: fetchVia(issuer),
      now: () => NOW.getTime(),
    });
    const ctx = await context(db, NOW);
    expect(await checkScannedText(await issuer.world.issue({ index: 8 }), ctx)).toMatchObject({
      outcome: "green",
      visualCheck: true,
    });
    const holder = await generateKeyPair();
    const vp = await signPresentation(await issuer.world.issue({ index: 9, holder }), holder, {
      now: NOW,
    });
    expect(await checkScannedText(vp, ctx)).toMatchObject({ outcome: "green", visualCheck: false });
    const foreign = [
      Buffer.from(JSON.stringify({ alg: "EdDSA", typ: "JWT" })).toString("base64url"),
      Buffer.from(
        JSON.stringify({
          iss: "did:web:other.example",
          vc: { type: ["VerifiableCredential", "UniversityDegree"], credentialSubject: {} },
        }),
      ).toString("base64url"),
      "c2ln",
    ].join(".");
    expect(await checkScannedText(foreign, ctx)).toMatchObject({
      outcome: "red",
      code: "ERR_NOT_AN_ENTITLEMENT",
    });
    expect(await checkScannedText("HK1:%%%", ctx)).toMatchObject({
      outcome: "red",
      code: "ERR_PROOF_MALFORMED",
    });
    expect(await checkScannedText("", ctx)).toMatchObject({
      outcome: "red",
      code: "ERR_PROOF_MALFORMED",
    });
  });
});
