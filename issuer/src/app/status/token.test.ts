/**
 * The IETF Token Status List beside the Bitstring lists: published from the same bits, signed
 * together with them (one iat and exp for the three), under the same validity and offline
 * tolerance rules (list-validity.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader, importJWK } from "jose";
import { testProviders } from "@haki/db/testing";
import { verifyStatusListCredential } from "@haki/status-list/credential";
import { getStatus } from "@haki/status-list/bitstring";
import { getTokenStatus, TOKEN_STATUS, verifyStatusListToken } from "@haki/status-list/token";
import { callRoute } from "@/test/http";
import { createIssuedCycle } from "@/test/fixtures";
import { changeStatus } from "@/server/status/change-status";
import { statusListValidity, STATUS_LIST_TTL_MS } from "@/server/status/list-validity";
import { GET as statusRoute } from "./[list]/[purpose]/route";
import { useTestContext } from "@/test/suite";

const ISSUER = "https://issuer.haki.test";

describe.each(testProviders())("the Token Status List on %s", (provider) => {
  const t = useTestContext(provider);
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  beforeAll(async () => {
    t.clock.now = new Date("2027-03-05T10:00:00Z");
    fx = await createIssuedCycle(t.ctx, 4);
  }, 60_000);

  const fetch3 = async () => {
    const get = (purpose: string) => callRoute(statusRoute, { path: `/status/1/${purpose}`, params: { list: "1", purpose } });
    const [revocation, suspension, token] = await Promise.all([get("revocation"), get("suspension"), get("token")]);
    return { revocation: await revocation.text(), suspension: await suspension.text(), token: await token.text(), tokenResponse: token };
  };
  const read = async () => {
    const lists = await fetch3();
    const [pub] = await t.ctx.keys.listPublicKeys();
    const key = await importJWK(pub!.publicJwk, "EdDSA");
    const bitstring = (purpose: "revocation" | "suspension") =>
      verifyStatusListCredential(lists[purpose], key, { issuer: t.ctx.did, url: `${ISSUER}/status/1/${purpose}`, purpose, now: t.clock.now });
    return {
      lists,
      revocation: await bitstring("revocation"),
      suspension: await bitstring("suspension"),
      token: await verifyStatusListToken(lists.token, pub!.publicJwk, { uri: `${ISSUER}/status/1/token`, issuer: ISSUER, now: t.clock.now }),
    };
  };
  const times = (jwt: string) => {
    const { iat, exp } = decodeJwt(jwt);
    return { iat: iat!, exp: exp! };
  };

  it("is served as application/statuslist+jwt, 2 bits, all valid after issuance, with the Bitstring lists' iat, exp and ttl", async () => {
    const r = await read();
    expect(r.lists.tokenResponse.headers.get("content-type")).toBe("application/statuslist+jwt");
    expect(decodeProtectedHeader(r.lists.token).typ).toBe("statuslist+jwt");
    expect(r.token.list).toMatchObject({ bits: 2, length: 131_072 });
    for (const e of fx.entitlements) expect(getTokenStatus(r.token.list, e.statusIndex)).toBe(TOKEN_STATUS.valid);
    const t3 = [r.lists.revocation, r.lists.suspension, r.lists.token].map(times);
    expect(new Set(t3.map((x) => `${x.iat}/${x.exp}`)).size).toBe(1);
    expect((t3[0]!.exp - t3[0]!.iat) * 1000).toBe(statusListValidity(t.ctx.env).validForMs);
    expect(r.token.ttlSeconds).toBe(STATUS_LIST_TTL_MS / 1000);
  });

  it("says what the two Bitstring lists say, index for index, after every change; the three are signed again together", async () => {
    const before = await read();
    const [a, b, c] = fx.entitlements;
    await changeStatus(t.ctx, { action: "suspend", entitlementId: a!.id, reason: "Under review" }, fx.officer.actor);
    await changeStatus(t.ctx, { action: "revoke", entitlementId: b!.id, reason: "Death notified" }, fx.officer.actor);
    await changeStatus(t.ctx, { action: "suspend", entitlementId: c!.id, reason: "Under review" }, fx.officer.actor);
    await changeStatus(t.ctx, { action: "revoke", entitlementId: c!.id, reason: "Duplicate" }, fx.officer.actor);
    const after = await read();
    const expected = [TOKEN_STATUS.suspended, TOKEN_STATUS.invalid, TOKEN_STATUS.invalid, TOKEN_STATUS.valid];
    for (const [i, e] of fx.entitlements.entries()) {
      expect(getTokenStatus(after.token.list, e.statusIndex)).toBe(expected[i]);
      const bits = { r: getStatus(after.revocation.list, e.statusIndex), s: getStatus(after.suspension.list, e.statusIndex) };
      expect(getTokenStatus(after.token.list, e.statusIndex)).toBe(bits.r ? 1 : bits.s ? 2 : 0);
    }
    const t3 = [after.lists.revocation, after.lists.suspension, after.lists.token].map(times);
    expect(new Set(t3.map((x) => x.iat)).size).toBe(1);
    expect(t3[0]!.iat).toBeGreaterThan(times(before.lists.token).iat);
    // A change to one list re-signs the other too: one publication.
    await changeStatus(t.ctx, { action: "reinstate", entitlementId: a!.id, reason: "Review closed" }, fx.officer.actor);
    const again = await read();
    expect(times(again.lists.revocation).iat).toBe(times(again.lists.suspension).iat);
    expect(times(again.lists.revocation).iat).toBeGreaterThan(t3[0]!.iat);
    expect(getTokenStatus(again.token.list, a!.statusIndex)).toBe(TOKEN_STATUS.valid);
  });

  it("keeps its signature while the tolerance is covered, and is signed again with the lists once it is not", async () => {
    const first = await read();
    const etag = first.lists.tokenResponse.headers.get("etag")!;
    t.clock.advance(30 * 60_000);
    const same = await callRoute(statusRoute, { params: { list: "1", purpose: "token" }, headers: { "if-none-match": etag } });
    expect(same.status).toBe(304);
    t.clock.advance(31 * 60_000); // past the hour of margin: less than the tolerance is left
    const renewed = await read();
    expect(times(renewed.lists.token).iat).toBeGreaterThan(times(first.lists.token).iat);
    expect(times(renewed.lists.token).exp * 1000 - t.clock.now.getTime()).toBeGreaterThanOrEqual(statusListValidity(t.ctx.env).resignBelowMs);
    expect(times(renewed.lists.revocation)).toEqual(times(renewed.lists.token));
  });

  it("answers 404 for a pair that does not exist", async () => {
    expect((await callRoute(statusRoute, { params: { list: "999", purpose: "token" } })).status).toBe(404);
  });
});
