/**
 * Issue 12, "offline for a week": how old data is treated at the counter. The lists carry the
 * issuer's 5-minute refresh hint (`ttl`) and a 7-day `validUntil`, as the issuer publishes them.
 */
import { generateKeyPair, type HakiKeyPair } from "@haki/credentials/keys";
import { signPresentation } from "@haki/credentials/presentation";
import { beforeAll, describe, expect, it } from "vitest";
import { checkProof, type CheckContext } from "./check";
import { defaultSettings, type OperatorSettings } from "./settings";
import { checkContextFor, createTestWorld, type DeviceState, type TestWorld } from "./testing";

const NOW = new Date("2027-03-10T09:00:00Z");
const MIN = 60_000;
const DAY = 24 * 3_600_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);

/** The world, a phone's holder key, and a device that refreshed at NOW (card 13 cancelled before). */
let fx: { world: TestWorld; holder: HakiKeyPair; state: DeviceState };
beforeAll(async () => {
  const world = await createTestWorld({ now: NOW });
  world.revoked.add(13);
  fx = { world, holder: await generateKeyPair(), state: await world.deviceState(NOW) };
});

function ctx(now: Date, settings: Partial<OperatorSettings> = {}): CheckContext {
  return checkContextFor(fx.world, fx.state, {
    now,
    settings: { ...defaultSettings(), ...settings },
  });
}

const paper = () => fx.world.issue({ index: 1 });
const phone = async (at: Date) =>
  signPresentation(await fx.world.issue({ index: 2, holder: fx.holder }), fx.holder, { now: at });

describe("issue 12: offline for a week at the counter", () => {
  it("ttl is a refresh hint, never a hard expiry: lists with a 5-minute ttl still answer an hour and a day later", async () => {
    expect(fx.state.statusLists[0]?.refreshAfter).toEqual(later(5 * MIN));
    for (const at of [later(6 * MIN), later(60 * MIN), later(DAY)]) {
      const d = await checkProof({ kind: "credential", jwt: await paper() }, ctx(at));
      expect(d).toMatchObject({ outcome: "green" });
      expect(d.outcome === "green" && d.outdated).toBeUndefined();
      const p = await checkProof({ kind: "presentation", jwt: await phone(at) }, ctx(at));
      expect(p).toMatchObject({ outcome: "green", visualCheck: false });
    }
    // A card cancelled before the lists were fetched stays red all along.
    const revoked = await fx.world.issue({ index: 13 });
    expect(await checkProof({ kind: "credential", jwt: revoked }, ctx(later(DAY)))).toMatchObject({
      outcome: "red",
      code: "ERR_CREDENTIAL_REVOKED",
    });
  });

  it("freshness policy 'warn' (the default): past the operator's maximum age a card stays green with 'lists are N days old'", async () => {
    expect(defaultSettings().whenOutdated).toBe("warn");
    const at = later(6 * DAY);
    const d = await checkProof({ kind: "credential", jwt: await paper() }, ctx(at));
    expect(d).toMatchObject({ outcome: "green", outdated: { days: 6, updated: "2027-03-10" } });
    const p = await checkProof({ kind: "presentation", jwt: await phone(at) }, ctx(at));
    expect(p).toMatchObject({ outcome: "green", outdated: { days: 6 } });
    // Below the operator's limit: no warning.
    const fresh = await checkProof({ kind: "credential", jwt: await paper() }, ctx(later(2 * DAY)));
    expect(fresh.outcome === "green" && fresh.outdated).toBeUndefined();
  });

  it("freshness policy 'refuse': past the operator's maximum age the answer is red with a code", async () => {
    const at = later(4 * DAY);
    expect(
      await checkProof(
        { kind: "credential", jwt: await paper() },
        ctx(at, { whenOutdated: "refuse" }),
      ),
    ).toMatchObject({
      outcome: "red",
      code: "ERR_TRUST_STALE",
      details: { updated: "2027-03-10" },
    });
    const longTrust = { whenOutdated: "refuse" as const, maxTrustAgeHours: 24 * 30 };
    expect(
      await checkProof({ kind: "presentation", jwt: await phone(at) }, ctx(at, longTrust)),
    ).toMatchObject({
      outcome: "red",
      code: "ERR_STATUS_STALE",
      details: { updated: "2027-03-10" },
    });
    // Inside the limit, refuse changes nothing.
    expect(
      await checkProof(
        { kind: "credential", jwt: await paper() },
        ctx(later(2 * DAY), { whenOutdated: "refuse" }),
      ),
    ).toMatchObject({ outcome: "green" });
  });

  it("past the lists' own validUntil (the programme's 7 days) no policy accepts: red ERR_STATUS_STALE", async () => {
    const at = later(8 * DAY);
    for (const whenOutdated of ["warn", "refuse"] as const) {
      const settings = { whenOutdated, maxTrustAgeHours: 24 * 30, maxStatusAgeHours: 24 * 30 };
      expect(
        await checkProof({ kind: "credential", jwt: await paper() }, ctx(at, settings)),
      ).toMatchObject({ outcome: "red", code: "ERR_STATUS_STALE" });
      expect(
        await checkProof({ kind: "presentation", jwt: await phone(at) }, ctx(at, settings)),
      ).toMatchObject({ outcome: "red", code: "ERR_STATUS_STALE" });
    }
  });
});
