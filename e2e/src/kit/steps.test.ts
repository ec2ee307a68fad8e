import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createStoryRunner } from "./steps";

/** A page that records where it was screenshotted (and, with `events`, when). */
function fakePage(events: string[] = []): { page: Page; shots: string[] } {
  const shots: string[] = [];
  const screenshot = async ({ path }: { path: string }) => {
    shots.push(path);
    events.push(`shot ${path}`);
    return Buffer.alloc(0);
  };
  return { page: { screenshot } as unknown as Page, shots };
}

describe("the story runner", () => {
  let artifacts = "";
  beforeEach(() => {
    artifacts = mkdtempSync(join(tmpdir(), "haki-steps-"));
    vi.spyOn(console, "log").mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(artifacts, { recursive: true, force: true });
  });

  it("takes a passing step's named screenshot of its page after the body", async () => {
    const story = createStoryRunner(artifacts);
    const events: string[] = [];
    const { page } = fakePage(events);
    await story.step("signs in", { page: () => page, shot: "01-signed-in" }, async () => {
      events.push("body");
    });
    expect(events).toEqual(["body", `shot ${join(artifacts, "01-signed-in.png")}`]);
    expect(story.summary()).toEqual({ passed: 1, failed: 0, ok: true });
  });

  it("takes no screenshot of a passing step that names none", async () => {
    const story = createStoryRunner(artifacts);
    const { page, shots } = fakePage();
    await story.step("checks", { page: () => page }, async () => undefined);
    expect(shots).toEqual([]);
    expect(story.summary().ok).toBe(true);
  });

  it("saves a failing step's page as failed-<n>, not as its shot, and does not run later steps", async () => {
    const story = createStoryRunner(artifacts);
    const { page, shots } = fakePage();
    await story.step("fails", { page: () => page, shot: "02-never" }, async () => {
      throw new Error("no such button");
    });
    const later = vi.fn(async () => undefined);
    await story.step("later", { page: () => page, shot: "03-later" }, later);
    expect(shots).toEqual([join(artifacts, "failed-1.png")]);
    expect(later).not.toHaveBeenCalled();
    expect(story.summary()).toEqual({ passed: 0, failed: 2, ok: false });
  });

  it("fails a step whose shot has no page to take it of", async () => {
    const story = createStoryRunner(artifacts);
    await story.step(
      "opens nothing",
      { page: () => undefined, shot: "04-nothing" },
      async () => undefined,
    );
    expect(story.summary()).toEqual({ passed: 0, failed: 1, ok: false });
  });

  it("prints a chapter's heading as it is", () => {
    const story = createStoryRunner(artifacts);
    story.chapter("4. settlement");
    expect(console.log).toHaveBeenCalledWith("4. settlement");
  });
});
