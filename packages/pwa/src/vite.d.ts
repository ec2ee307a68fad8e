/** Types of ./vite.js (see there for why it is JavaScript). */
import type { Plugin } from "vite";

export interface ServiceWorkerPluginOptions {
  /** The worker's source, relative to the app root or absolute (e.g. "src/sw/sw.ts"). */
  entry: string;
  /** Output name at the root of the build (default "sw.js"; the scope is the app's base). */
  fileName?: string;
}

/** The precache list: "./" first, then every file but the worker, source maps and Vite's manifest. */
export function precacheList(files: readonly string[], worker: string): string[];

/** Vite plugin: builds `entry` as sw.js and writes the precache list and version into it. */
export function pwaServiceWorker(options: ServiceWorkerPluginOptions): Plugin;
