import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Options } from "@/app/(console)/options";

describe("Options", () => {
  it("renders one option per item, in order, with its value, its label and its language only where given", () => {
    const html = renderToStaticMarkup(
      createElement("select", { name: "locale", defaultValue: "fr" }, createElement(Options, { items: [{ value: "en", label: "English" }, { value: "fr", label: "Français", lang: "fr" }] })),
    );
    expect(html).toBe('<select name="locale"><option value="en">English</option><option value="fr" lang="fr" selected="">Français</option></select>');
  });
});
