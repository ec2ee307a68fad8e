/**
 * A tiny story runner for browser journeys: numbered steps that print their time, stop the story
 * at the first failure (later steps are reported, not run), and leave a screenshot of the page
 * that failed. `npm test` reads the exit code.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";

export interface StoryRunner {
  /** Runs one step; `page` is screenshotted when the step fails. */
  step: (name: string, fn: () => Promise<void>, page?: () => Page | undefined) => Promise<void>;
  /** Saves a screenshot of `page` as `<artifacts>/<name>.png` and returns its path. */
  shot: (page: Page, name: string) => Promise<string>;
  /** "N passed, N failed" and whether everything passed. */
  summary: () => { passed: number; failed: number; ok: boolean };
}

/**
 * @example
 * const story = createStoryRunner("artifacts/e2e");
 * await story.step("officer signs in", async () => { ... }, () => officerPage);
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
    async step(name, fn, page) {
      if (blocked) {
        failed++;
        console.log(`  ✗ ${name} (not run: an earlier step failed)`);
        return;
      }
      const started = Date.now();
      try {
        await fn();
        passed++;
        console.log(`  ✓ ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (e) {
        failed++;
        blocked = true;
        const p = page?.();
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
