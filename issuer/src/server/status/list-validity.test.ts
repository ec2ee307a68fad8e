/**
 * Issue 12, "offline for a week": the issuer's status lists cover the programme's offline
 * tolerance, are re-signed on every change and before their validity runs low, and their issue
 * times only move forward.
 */
import { describe, expect, it } from "vitest";
import { decodeJwt, importJWK } from "jose";
import { verifyStatusListCredential } from "@haki/status-list/credential";
import { getStatus } from "@haki/status-list/bitstring";
import { testProviders } from "@haki/db/testing";
import { createTestContext } from "@/test/context";
import { callRoute } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { GET as statusList } from "@/app/status/[list]/[purpose]/route";
import { changeStatus } from "./change-status";
import { nextIssuedAt } from "./list-validity";
import { useIssuedCycle, useTestContext } from "@/test/suite";

const DAY = 24 * 3_600_000;

describe.each(testProviders())("issue 12: status list validity on %s", (provider) => {
  const t = useTestContext(provider);
  const fx = useIssuedCycle(t, 2);

  /** The list as a device fetches it now, verified as the device does at `now`. */
  async function fetchRevocation() {
    const res = await callRoute(statusList, { params: { list: "1", purpose: "revocation" } });
    expect(res.status).toBe(200);
    const jwt = await res.text();
    const [pub] = await t.ctx.keys.listPublicKeys();
    const verified = await verifyStatusListCredential(jwt, await importJWK(pub!.publicJwk, "EdDSA"), {
      now: t.ctx.now(),
      url: "https://issuer.haki.test/status/1/revocation",
    });
    return { jwt, verified, etag: res.headers.get("etag") };
  }

  it("issue 12: every list served is valid for the offline tolerance (7 days by default), with a 5-minute ttl as a refresh hint", async () => {
    const { verified } = await fetchRevocation();
    expect(t.ctx.env.HAKI_OFFLINE_TOLERANCE_DAYS).toBe(7);
    expect(verified.ttlMs).toBe(5 * 60_000);
    const left = verified.validUntil!.getTime() - t.ctx.now().getTime();
    expect(left).toBeGreaterThanOrEqual(7 * DAY);
    expect(left).toBeLessThanOrEqual(7 * DAY + 3_600_000);
  });

  it("issue 12: a change is published at once, re-signed with a later issue time and a full validity", async () => {
    const before = await fetchRevocation();
    t.clock.advance(2 * DAY);
    const e = fx.entitlements[0]!;
    await changeStatus(t.ctx, { action: "revoke", entitlementId: e.id, reason: "Death notified by CRVS" }, fx.officer.actor);
    const after = await fetchRevocation();
    expect(getStatus(after.verified.list, e.statusIndex)).toBe(true);
    expect(after.verified.issuedAt.getTime()).toBeGreaterThan(before.verified.issuedAt.getTime());
    expect(after.verified.validUntil!.getTime() - t.ctx.now().getTime()).toBeGreaterThanOrEqual(7 * DAY);
    expect(after.etag).not.toBe(before.etag);
  });

  it("issue 12: a list nobody touches is re-signed before its validity runs low, so a device refreshing daily for two weeks never holds an expiring list", async () => {
    let last = await fetchRevocation();
    let signatures = 0;
    for (let day = 1; day <= 14; day++) {
      t.clock.advance(DAY);
      const now = await fetchRevocation();
      expect(now.verified.validUntil!.getTime() - t.ctx.now().getTime(), `day ${day}`).toBeGreaterThanOrEqual(7 * DAY);
      expect(now.verified.issuedAt.getTime()).toBeGreaterThanOrEqual(last.verified.issuedAt.getTime());
      if (now.jwt !== last.jwt) signatures++;
      last = now;
    }
    // Re-signed when needed (about daily here), not on every fetch.
    expect(signatures).toBeGreaterThanOrEqual(13);
    const again = await fetchRevocation();
    expect(again.jwt).toBe(last.jwt);
  });

  it("issue 12: the tolerance is configurable (HAKI_OFFLINE_TOLERANCE_DAYS)", async () => {
    const short = await createTestContext(provider, { env: { HAKI_OFFLINE_TOLERANCE_DAYS: "3" } });
    try {
      await createIssuedCycle(short.ctx, 1);
      const res = await callRoute(statusList, { params: { list: "1", purpose: "suspension" } });
      const exp = (decodeJwt(await res.text()).exp ?? 0) * 1000;
      expect(exp - short.ctx.now().getTime()).toBeGreaterThanOrEqual(3 * DAY);
      expect(exp - short.ctx.now().getTime()).toBeLessThan(4 * DAY);
    } finally {
      await short.close();
    }
    // createTestContext set the other context as current; bring this file's back.
    const { setServerContext } = await import("@/server/context");
    setServerContext(t.ctx);
  });

  it("issue 12, rollback: issue times only move forward, even for two changes in one second", async () => {
    const first = await fetchRevocation();
    const e = fx.entitlements[1]!;
    await changeStatus(t.ctx, { action: "suspend", entitlementId: e.id, reason: "Under review" }, fx.officer.actor);
    await changeStatus(t.ctx, { action: "revoke", entitlementId: e.id, reason: "Duplicate registration" }, fx.officer.actor);
    const second = await fetchRevocation();
    expect(second.verified.issuedAt.getTime()).toBeGreaterThan(first.verified.issuedAt.getTime());
    // The clock stepping back does not make a later signature look older.
    const at = new Date(first.verified.issuedAt.getTime() - 60_000);
    expect(nextIssuedAt(second.jwt, at).getTime()).toBe(second.verified.issuedAt.getTime() + 1000);
  });
});
