/**
 * The phone claims' group commit: claims made together share one transaction and still each get a
 * fresh status position, their old positions revoked in the list; a claim that lost a race fails
 * alone (ERR_CONFLICT) and the others of its batch go through.
 */
import { describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { getStatus, statusListFromBytes } from "@haki/status-list/bitstring";
import { useIssuedCycle, useTestContext } from "@/test/suite";
import { claimPhoneForm } from "./phone-form";

describe.each(testProviders())("phone claims written together on %s", (provider) => {
  const t = useTestContext(provider);
  const fx = useIssuedCycle(t, 6);

  const revoked = async (list: number, index: number) => {
    const row = await t.ctx.db.statusList.findUniqueOrThrow({ where: { id: `${list}-revocation` } });
    return getStatus(statusListFromBytes(new Uint8Array(row.bits)), index);
  };

  it("moves every entitlement claimed at once to its own fresh position and revokes each old one", async () => {
    const some = fx.entitlements.slice(0, 4);
    const before = (await t.ctx.db.statusList.findUnique({ where: { id: "1-revocation" } }))?.version ?? -1;
    const claims = await Promise.all(some.map((e) => claimPhoneForm(t.ctx, e.id)));
    const to = claims.map((c) => `${c!.to.list}/${c!.to.index}`);
    expect(new Set(to).size).toBe(4);
    for (const [i, e] of some.entries()) {
      expect(claims[i]!.from).toEqual({ list: e.statusList, index: e.statusIndex });
      expect(await revoked(e.statusList, e.statusIndex)).toBe(true);
      expect(await revoked(claims[i]!.to.list, claims[i]!.to.index)).toBe(false);
      expect(await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: e.id } })).toMatchObject({ statusList: claims[i]!.to.list, statusIndex: claims[i]!.to.index, bearerForm: "phone" });
    }
    // The untouched ones stay valid; the list's version moved (the signed copies are re-made).
    expect(await revoked(fx.entitlements[4]!.statusList, fx.entitlements[4]!.statusIndex)).toBe(false);
    expect((await t.ctx.db.statusList.findUniqueOrThrow({ where: { id: "1-revocation" } })).version).toBeGreaterThan(before);
  });

  it("fails a claim that lost its race alone, with ERR_CONFLICT (or, read after the winner's commit, moves again)", async () => {
    const [a, b] = [fx.entitlements[4]!, fx.entitlements[5]!];
    // b is claimed twice at once. When both read b before either wrote (SQLite: the same turn), the
    // second move finds b moved already and fails alone; a and the first claim of b go through.
    const results = await Promise.allSettled([claimPhoneForm(t.ctx, a.id), claimPhoneForm(t.ctx, b.id), claimPhoneForm(t.ctx, b.id)]);
    expect(results[0]!.status).toBe("fulfilled");
    // Which of b's two claims is written first is the database's race (PostgreSQL answers the reads
    // in either order); the other fails alone, or, having read b after the first move, moves it again.
    const claimsOfB = results.slice(1);
    const won = claimsOfB.filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof claimPhoneForm>>> => r.status === "fulfilled");
    const lost = claimsOfB.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    if (provider === "sqlite") expect(lost).toHaveLength(1);
    for (const r of lost) expect(r.reason).toMatchObject({ code: "ERR_CONFLICT" });
    expect(won.length).toBeGreaterThanOrEqual(1);
    if (won.length === 2) {
      // The second move started where the first one left b.
      const [x, y] = won.map((r) => r.value!);
      expect([x!.from, y!.from]).toContainEqual(x!.from.index === y!.to.index && x!.from.list === y!.to.list ? y!.to : x!.to);
    }
    expect(await revoked(a.statusList, a.statusIndex)).toBe(true);
    expect(await revoked(b.statusList, b.statusIndex)).toBe(true);
    const now = await t.ctx.db.entitlement.findUniqueOrThrow({ where: { id: b.id } });
    expect(await revoked(now.statusList, now.statusIndex)).toBe(false);
  });
});
