/**
 * Next.js start hook: in the embedded (SQLite) profile the issuance worker runs inside the web
 * process; with HAKI_INPROCESS_WORKER=false workers run apart (`pnpm worker`).
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is a build-time constant Next inlines (not configuration), read here and not in
  // env.ts so the bundler drops the Node-only import from the edge build.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startInProcessWorker } = await import("./server/issuance/in-process");
    startInProcessWorker();
  }
}
