import { h } from "preact";
import { describe, expect, it } from "vitest";
import { routeTo } from "./preact";

type Screen = { name: "home" } | { name: "result"; code: string } | { name: "settings" };

describe("routeTo", () => {
  it("renders the screen's own entry, given that screen", () => {
    const routes = { home: () => h("p", null, "home"), result: (s: { code: string }) => h("p", null, s.code), settings: () => h("p", null, "settings") };
    expect(routeTo<Screen>({ name: "result", code: "ERR_EXPIRED" }, routes).props).toEqual({ children: "ERR_EXPIRED" });
    expect(routeTo<Screen>({ name: "home" }, routes).props).toEqual({ children: "home" });
  });

  it("falls back to `otherwise` for a screen the table leaves out, and only then", () => {
    const otherwise = (s: Screen) => h("p", null, `list:${s.name}`);
    expect(routeTo<Screen>({ name: "settings" }, { home: () => h("p", null, "home") }, otherwise).props).toEqual({ children: "list:settings" });
    expect(routeTo<Screen>({ name: "home" }, { home: () => h("p", null, "home") }, otherwise).props).toEqual({ children: "home" });
  });
});
