/**
 * A tiny story runner for browser journeys: chapters and numbered steps that print their time,
 * stop the story at the first failure (later steps are reported, not run), leave a screenshot of
 * the page that failed, and the screenshot a step names when it passes. `npm test` reads the exit
 * code.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";

/** What a step is shown on, given before its body. */
export interface StepOptions {
  /** The page the step works on: screenshotted as `failed-<n>` when the step fails. */
  page?: () => Page | undefined;
  /** When the step passes, `page()` is screenshotted as `<artifacts>/<shot>.png`. */
  shot?: string;
}

export interface StoryRunner {
  /** Prints a chapter's heading (the steps after it belong to it). */
  chapter: (title: string) => void;
  /** Runs one step: `fn`, then the `shot` of `options.page()` when it passes. */
  step: (name: string, options: StepOptions, fn: () => Promise<void>) => Promise<void>;
  /** Saves a screenshot of `page` as `<artifacts>/<name>.png` and returns its path (mid-step). */
  shot: (page: Page, name: string) => Promise<string>;
  /** "N passed, N failed" and whether everything passed. */
  summary: () => { passed: number; failed: number; ok: boolean };
}

/**
 * @example
 * const story = createStoryRunner("artifacts/e2e");
 * story.chapter("1. programme office");
 * await story.step("an officer signs in", { page: () => officerPage, shot: "01-signed-in" }, async () => {
 *   // ...
 * });
 * process.exitCode = story.summary().ok ? 0 : 1;
 */
export function createStoryRunner(artifacts: string): StoryRunner {
  mkdirSync(artifacts, { recursive: true });
  let passed = 0;
  let failed = 0;
  let blocked = false;
  const shot = async (page: Page, name: string) => {
    const path = join(artifacts, `${name}.png`);
    await page.screenshot({ path });
    return path;
  };
  return {
    shot,
    chapter: (title) => console.log(title),
    async step(name, options, fn) {
      if (blocked) {
        failed++;
        console.log(`  ✗ ${name} (not run: an earlier step failed)`);
        return;
      }
      const started = Date.now();
      try {
        await fn();
        if (options.shot) {
          const p = options.page?.();
          assert(p, `no page to screenshot as ${options.shot}`);
          await shot(p, options.shot);
        }
        passed++;
        console.log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        blocked = true;
        const p = options.page?.();
        if (p) await shot(p, `failed-${failed}`).catch(() => undefined);
        console.log(`  ✗ ${name}\n    ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    },
    summary: () => ({ passed, failed, ok: failed === 0 && passed > 0 }),
  };
}

/** Throws `message` unless `cond` holds. */
export function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/**
 * Runs a story file's `main`, then prints "N passed, N failed" and sets the exit code: 1 when a
 * step failed, or at once when `main` itself threw (set-up, servers).
 *
 * @example
 * runStory(story, main); // the last line of a *.e2e.ts story
 */
export function runStory(story: StoryRunner, main: () => Promise<void>): void {
  main().then(
    () => {
      const { passed, failed, ok } = story.summary();
      console.log(`\n${passed} passed, ${failed} failed`);
      process.exitCode = ok ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
