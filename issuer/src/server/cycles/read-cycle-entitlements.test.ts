/** The cycle page's list: filters, search and keyset paging, with counts from the tally. */
import { beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { changeStatus } from "@/server/status/change-status";
import { previewBulkStatus } from "@/server/status/bulk-status-scope";
import { readCycleEntitlements, walkCycleEntitlements, type CycleListFilter } from "./read-cycle-entitlements";
import { countTally, readCycleTally } from "./cycle-tally";
import { useConsoleWorld, useTestContext } from "@/test/suite";

describe.each(testProviders())("the cycle page's list on %s", (provider) => {
  const t = useTestContext(provider);
  const w = useConsoleWorld(t);
  beforeAll(async () => {
    // One redeemed, one collected on a phone, one printed, one suspended.
    await w.redeem(w.byName("Aïssata Maïga").entitlement.id, new Date("2027-03-04T09:00:00Z"));
    await t.ctx.db.entitlement.update({ where: { id: w.byName("Juma Mwangi").entitlement.id }, data: { holderDid: "did:key:z6MkPhone" } });
    await t.ctx.db.entitlement.update({ where: { id: w.byName("Mohamed Ali").entitlement.id }, data: { printedAt: new Date("2027-03-02T00:00:00Z") } });
    await changeStatus(t.ctx, { action: "suspend", entitlementId: w.byName("أحمد علي").entitlement.id, reason: "Under review" }, w.officer.actor);
  }, 60_000);

  /** Every row the filter lists over all pages, walking the cursors. */
  const everything = async (filter: CycleListFilter, pageSize = 2) => {
    const refs: string[] = [];
    for (let after: string | undefined, i = 0; i < 20; i++) {
      const page = await readCycleEntitlements(t.ctx, w.cycleId, { ...filter, after }, { pageSize });
      refs.push(...page.rows.map((r) => r.displayName ?? r.ref));
      if (!page.next) return refs;
      after = page.next;
    }
    throw new Error("too many pages");
  };

  it("filters by state, area, delivered and redeemed, page after page, and the tally counts the same", async () => {
    const { value: tally } = await readCycleTally(t.ctx, w.cycleId);
    const cases: [CycleListFilter, string[]][] = [
      [{}, ["Aïssata Maïga", "Amina Wanjirũ", "أحمد علي", "Juma Mwangi", "Mohamed Ali", w.byName("").ref]],
      [{ status: "suspended" }, ["أحمد علي"]],
      [{ area: "KE-022" }, ["أحمد علي", "Juma Mwangi"]],
      [{ area: "KE-022", status: "issued" }, ["Juma Mwangi"]],
      [{ delivered: "yes" }, ["Juma Mwangi", "Mohamed Ali"]],
      [{ delivered: "no", area: "KE-001" }, [w.byName("").ref]],
      [{ redeemed: "yes" }, ["Aïssata Maïga"]],
      [{ redeemed: "no", area: "KE-047" }, ["Amina Wanjirũ"]],
    ];
    for (const [filter, expected] of cases) {
      const listed = await everything(filter);
      expect(listed.sort(), JSON.stringify(filter)).toEqual([...expected].sort());
      expect(countTally(tally, filter as Parameters<typeof countTally>[1]), JSON.stringify(filter)).toBe(expected.length);
    }
  });

  it("searches within the cycle by reference or name, with the other filters", async () => {
    expect(await everything({ q: "wanji" })).toEqual(["Amina Wanjirũ"]);
    expect(await everything({ q: "m", area: "KE-022" })).toEqual(["Juma Mwangi"]);
    expect((await everything({ q: "m" }, 1)).sort()).toEqual(["Aïssata Maïga", "Juma Mwangi", "Mohamed Ali"].sort());
    const ref = w.byName("Mohamed Ali").ref;
    expect(await everything({ q: ref.toLowerCase() })).toEqual(["Mohamed Ali"]);
    expect(await everything({ q: "zzz" })).toEqual([]);
  });

  it("shows each row's delivery: collected on a phone, printed, or not yet", async () => {
    const rows = (await readCycleEntitlements(t.ctx, w.cycleId, {}, { pageSize: 10 })).rows;
    const by = (name: string) => rows.find((r) => r.displayName === name)!;
    // A holder written straight to the row, with the paper form kept: what a programme keeping both forms shows.
    expect(by("Juma Mwangi").delivery).toMatchObject({ phone: "collected", activeForm: "both" });
    expect(by("Mohamed Ali").delivery).toMatchObject({ phone: null, printedAt: new Date("2027-03-02T00:00:00Z") });
    expect(by("Amina Wanjirũ").delivery).toEqual({ activeForm: "paper", phone: null, phoneAt: null, printedAt: null, walletEvent: null });
    expect(by("Aïssata Maïga").redeemed).toBe(true);
  });

  it("acts on exactly the filtered set: the bulk status preview takes the page's filters", async () => {
    const p = await previewBulkStatus(t.ctx, { scope: { cycleId: w.cycleId, area: "KE-047", redeemed: "no" }, action: "suspend" }, w.officer.actor);
    expect(p).toMatchObject({ credentials: 1, willChange: 1, scope: expect.stringContaining("redeemed no") });
    const walked: string[] = [];
    await walkCycleEntitlements(t.ctx, w.cycleId, { delivered: "no" }, (rows) => void walked.push(...rows.map((r) => r.ref)));
    expect(walked).toHaveLength(4);
  });
});
