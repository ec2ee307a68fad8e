import { describe, expect, it, vi } from "vitest";
import type { Card } from "@haki/paper-card/render";
import { renderCycleCards } from "./render-cycle-cards";
import { useIssuedCycle, useTestContext } from "@/test/suite";

const printed = vi.hoisted(() => ({ cards: [] as Card[] }));
vi.mock("@haki/paper-card/render", async (original) => ({
  ...(await original<typeof import("@haki/paper-card/render")>()),
  renderCardsPdf: async (cards: Card[]) => {
    printed.cards = cards;
    return new Uint8Array([37]);
  },
}));

describe("renderCycleCards", () => {
  const t = useTestContext();
  const fx = useIssuedCycle(t, 2);

  it("prints the benefit in the same words as the wallet and the verifier, in the card's language", async () => {
    await t.ctx.db.cycle.update({ where: { id: fx.cycleId }, data: { quantity: "2500" } });
    await renderCycleCards(t.ctx, fx.cycleId, { part: 1, locale: "en" }, fx.officer.actor);
    expect(printed.cards.map((c) => c.benefit)).toEqual(["2,500 kg Maize flour", "2,500 kg Maize flour"]);
    await renderCycleCards(t.ctx, fx.cycleId, { part: 1, locale: "fr" }, fx.officer.actor);
    expect(printed.cards[0]?.benefit.replace(/\s/g, " ")).toBe("2 500 kg Maize flour");
  });
});
