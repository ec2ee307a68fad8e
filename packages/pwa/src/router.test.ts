import { h, type VNode } from "preact";
import { describe, expect, it } from "vitest";
import { lazyModule, screenRouter, type LazyRoute } from "./preact";

type Screen = { name: "home" } | { name: "result"; code: string } | { name: "settings" };

/** The lazy route behind the element the router gave (its props, as the router passes them). */
const lazyProps = (el: VNode) => el.props as unknown as { route: LazyRoute<Screen>; screen: Screen };

describe("screenRouter", () => {
  it("renders the screen's own entry, given that screen", () => {
    const routes = { home: () => h("p", null, "home"), result: (s: { code: string }) => h("p", null, s.code), settings: () => h("p", null, "settings") };
    const router = screenRouter<Screen>();
    expect(router.routeTo({ name: "result", code: "ERR_EXPIRED" }, routes).props).toEqual({ children: "ERR_EXPIRED" });
    expect(router.routeTo({ name: "home" }, routes).props).toEqual({ children: "home" });
  });

  it("falls back to `otherwise` for a screen the table leaves out, and only then", () => {
    const otherwise = (s: Screen) => h("p", null, `list:${s.name}`);
    const router = screenRouter<Screen>();
    expect(router.routeTo({ name: "settings" }, { home: () => h("p", null, "home") }, otherwise).props).toEqual({ children: "list:settings" });
    expect(router.routeTo({ name: "home" }, { home: () => h("p", null, "home") }, otherwise).props).toEqual({ children: "home" });
  });

  it("loads a lazy route's module only when its screen is shown, and draws the screen from that module and the screen", async () => {
    let loads = 0;
    const module = { Result: (props: { code: string }) => h("p", null, props.code) };
    const result = lazyModule(async () => (loads++, module)).route(({ Result }, s: { code: string }) => h(Result, { code: s.code }));
    const router = screenRouter<Screen>();
    const home = router.routeTo({ name: "home" }, { home: () => h("p", null, "home"), result, settings: () => h("p", null, "settings") });
    expect(home.props).toEqual({ children: "home" });
    expect(loads).toBe(0);

    const el = router.routeTo({ name: "result", code: "ERR_EXPIRED" }, { home: () => h("p", null, "home"), result, settings: () => h("p", null, "settings") });
    // One element a route (keyed by its name): another screen of the table mounts afresh.
    expect(el.key).toBe("result");
    const { route, screen } = lazyProps(el);
    expect(loads).toBe(0);
    const loaded = await route.load();
    expect(loads).toBe(1);
    expect(route.render(loaded, screen).props).toEqual({ code: "ERR_EXPIRED" });
  });

  it("keys a lazy `otherwise` apart from every route of the table", () => {
    const list = lazyModule(async () => ({ List: () => h("ul", null) })).route(({ List }) => List());
    const router = screenRouter<Screen>();
    const el = router.routeTo({ name: "settings" }, { home: () => h("p", null, "home") }, list);
    expect(el.key).not.toBe("settings");
    expect(lazyProps(el).screen).toEqual({ name: "settings" });
  });
});
