import "fake-indexeddb/auto";
import { generateKeyPair } from "@haki/credentials/keys";
import { encodeSetupCode } from "@haki/redemption/setup";
import { signTrustBundle } from "@haki/redemption/trust-bundle";
import { calculateJwkThumbprint } from "jose";
import { describe, expect, it } from "vitest";
import { createFakeIssuer, fetchVia } from "../../e2e/fake-issuer";
import { openVerifierDb } from "../storage/db";
import { enrolDevice } from "./enrol";
import { createBindingKey } from "@haki/id-binding/binding";
import { refreshAll } from "./refresh";

const NOW = new Date("2027-03-10T09:00:00Z");
let n = 0;
const now = () => NOW.getTime();

describe("enrolment", () => {
  it("refuses a bundle not signed by the key the set-up code pins, and stores nothing", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const other = await generateKeyPair();
    const setup = {
      ...issuer.world.setup,
      bundleKey: await calculateJwkThumbprint(other.publicJwk, "sha256"),
    };
    const db = await openVerifierDb(`enrol-${n++}`);
    await expect(
      enrolDevice({ db, setupText: encodeSetupCode(setup), fetch: fetchVia(issuer), now }),
    ).rejects.toMatchObject({ code: "ERR_TRUST_BUNDLE_UNTRUSTED" });
    expect(await db.getEnrolment()).toBeUndefined();
    expect(await db.getTrust()).toBeUndefined();
  });

  it("refuses a damaged set-up code and reports an unreachable issuer", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const db = await openVerifierDb(`enrol-${n++}`);
    await expect(
      enrolDevice({ db, setupText: "HAKI-SETUP:1:zzz", fetch: fetchVia(issuer), now }),
    ).rejects.toMatchObject({ code: "ERR_SETUP_CODE_INVALID" });
    await expect(
      enrolDevice({
        db,
        setupText: encodeSetupCode(issuer.world.setup),
        fetch: fetchVia(issuer, () => false),
        now,
      }),
    ).rejects.toMatchObject({
      code: "ERR_ISSUER_REQUEST",
    });
  });

  it("refuses a code made for another service point", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const db = await openVerifierDb(`enrol-${n++}`);
    const setup = { ...issuer.world.setup, servicePoint: "sp-other-02" };
    await expect(
      enrolDevice({ db, setupText: encodeSetupCode(setup), fetch: fetchVia(issuer), now }),
    ).rejects.toMatchObject({ status: 403 });
  });
});

describe("refresh", () => {
  it("takes a newer bundle, keeps the old one when the new one is not trusted, and refreshes lists", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const db = await openVerifierDb(`refresh-${n++}`);
    let clock = now();
    await enrolDevice({
      db,
      setupText: encodeSetupCode(issuer.world.setup),
      fetch: fetchVia(issuer),
      now: () => clock,
    });

    issuer.world.bundleJws = await issuer.world.signBundle({ seq: 2 });
    clock += 3_600_000;
    const r = await refreshAll({ db, fetch: fetchVia(issuer), now: () => clock });
    expect(r).toMatchObject({ trust: "updated", lists: [{ ok: true }, { ok: true }] });
    expect((await db.getTrust())?.bundle.seq).toBe(2);
    expect((await db.getTrust())?.fetchedAt).toBe(clock);
    expect((await db.getStatusLists()).map((l) => l.fetchedAt.getTime())).toEqual([clock, clock]);

    const evil = await generateKeyPair();
    issuer.world.bundleJws = await signTrustBundle(
      { ...issuer.world.bundle, seq: 9 },
      { privateKey: evil.privateKey, publicJwk: evil.publicJwk },
    );
    expect((await refreshAll({ db, fetch: fetchVia(issuer), now: () => clock + 1 })).trust).toBe(
      "failed",
    );
    expect((await db.getTrust())?.bundle.seq).toBe(2);

    issuer.world.bundleJws = await issuer.world.signBundle({ seq: 1 });
    expect((await refreshAll({ db, fetch: fetchVia(issuer), now: () => clock + 2 })).trust).toBe(
      "failed",
    );
    expect((await db.getTrust())?.fetchedAt).toBe(clock);
  });

  it("gives a device set up before its programme turned ID binding on the programme's key at the next refresh, signed for by its own key; a failure keeps the keys", async () => {
    const issuer = await createFakeIssuer("https://issuer.test", { now: NOW });
    const db = await openVerifierDb(`refresh-${n++}`);
    await enrolDevice({ db, setupText: encodeSetupCode(issuer.world.setup), fetch: fetchVia(issuer), now });
    expect((await db.getEnrolment())?.bindingKeys).toBeUndefined();
    // Nothing served here binds its cards: the device does not ask.
    const before = issuer.state.devices.size;
    expect((await refreshAll({ db, fetch: fetchVia(issuer), now })).bindingKeys).toBe("skipped");

    // The office turns binding on for the programme this service point serves.
    const key = createBindingKey("cash-2027");
    issuer.state.bindingKeys = [key];
    issuer.world.bundleJws = await issuer.world.signBundle({
      programmes: issuer.world.bundle.programmes.map((p) => ({ ...p, idBinding: "refuse" as const })),
    });
    expect(await refreshAll({ db, fetch: fetchVia(issuer), now })).toMatchObject({ trust: "updated", bindingKeys: "updated" });
    expect((await db.getEnrolment())?.bindingKeys).toEqual([key]);
    expect((await refreshAll({ db, fetch: fetchVia(issuer), now })).bindingKeys).toBe("unchanged");

    // An issuer that does not know this device's key refuses; the device keeps what it holds.
    const [deviceId] = [...issuer.state.devices.keys()];
    issuer.state.devices.set(deviceId!, (await generateKeyPair()).publicJwk);
    issuer.state.bindingKeys = [];
    expect((await refreshAll({ db, fetch: fetchVia(issuer), now })).bindingKeys).toBe("failed");
    expect((await db.getEnrolment())?.bindingKeys).toEqual([key]);
    expect(issuer.state.devices.size).toBe(before);
  });
});
