import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Card } from "@haki/paper-card/render";
import { createTestContext, type TestContext } from "@/test/context";
import { createIssuedCycle } from "@/test/fixtures";
import { renderCycleCards } from "./render-cycle-cards";

const printed = vi.hoisted(() => ({ cards: [] as Card[] }));
vi.mock("@haki/paper-card/render", async (original) => ({
  ...(await original<typeof import("@haki/paper-card/render")>()),
  renderCardsPdf: async (cards: Card[]) => {
    printed.cards = cards;
    return new Uint8Array([37]);
  },
}));

describe("renderCycleCards", () => {
  let t: TestContext;
  let fx: Awaited<ReturnType<typeof createIssuedCycle>>;
  beforeAll(async () => {
    t = await createTestContext();
    fx = await createIssuedCycle(t.ctx, 2);
  }, 60_000);
  afterAll(() => t.close());

  it("prints the benefit in the same words as the wallet and the verifier, in the card's language", async () => {
    await t.ctx.db.cycle.update({ where: { id: fx.cycleId }, data: { quantity: "2500" } });
    await renderCycleCards(t.ctx, fx.cycleId, { part: 1, locale: "en" }, fx.officer.actor);
    expect(printed.cards.map((c) => c.benefit)).toEqual(["2,500 kg Maize flour", "2,500 kg Maize flour"]);
    await renderCycleCards(t.ctx, fx.cycleId, { part: 1, locale: "fr" }, fx.officer.actor);
    expect(printed.cards[0]?.benefit.replace(/\s/g, " ")).toBe("2 500 kg Maize flour");
  });
});
