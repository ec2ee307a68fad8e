/**
 * SQLite's WAL checkpoints off the request thread. A commit that finds the WAL past
 * `wal_autocheckpoint` copies the whole WAL into the database file and syncs it before it returns:
 * on the issuer's thread, under 100 wallets, that stopped every request for 100-400 ms every few
 * seconds (the load benchmark's p99). A connection that hands its checkpoints to this worker turns
 * its own off; the worker runs a PASSIVE checkpoint (it never waits for writers or readers) when
 * the WAL has grown, on a connection of its own.
 */
import { statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { driverPath } from "./background";

// The worker's whole program: one connection, a look at the WAL's size every `everyMs`.
const WORKER = `
const { workerData } = require("node:worker_threads");
const { statSync } = require("node:fs");
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
} catch {
  process.exit(0); // the file went away before this thread started (a test's database dropped): nothing to do
}
const walSize = () => { try { return statSync(workerData.file + "-wal").size; } catch { return 0; } };
// The WAL file keeps its size once grown (a writer starts it again from the top after a complete
// checkpoint), so its size says only that there may be frames to copy: a PASSIVE checkpoint with
// nothing to copy returns at once, without a sync.
setInterval(() => {
  if (walSize() < workerData.minBytes) return;
  try {
    db.pragma("wal_checkpoint(PASSIVE)");
  } catch {
    // busy (another checkpoint runs), or the file is gone: the next tick tries again
  }
}, workerData.everyMs);
`;

/** A running background checkpointer. */
export interface BackgroundCheckpoints {
  stop(): Promise<void>;
}

/**
 * Checkpoints the WAL of a SQLite file from a worker thread, every `everyMs` while its file holds
 * `minBytes` or more. Turn `wal_autocheckpoint` off on the connections that write (their commits
 * would otherwise still checkpoint on their own thread past the threshold), and back on in
 * `onExit`: the worker may end (stopped, or failing).
 *
 * @example
 * db.pragma("wal_autocheckpoint = 0");
 * const checkpoints = startBackgroundCheckpoints("/data/haki.db", { onExit: () => db.pragma("wal_autocheckpoint = 16384") });
 * await checkpoints.stop(); // on close
 */
export function startBackgroundCheckpoints(file: string, options: { everyMs?: number; minBytes?: number; onExit?: () => void } = {}): BackgroundCheckpoints {
  statSync(file); // a clear error here rather than an exception in the worker
  const worker = new Worker(WORKER, { eval: true, workerData: { file, driver: driverPath(), everyMs: options.everyMs ?? 500, minBytes: options.minBytes ?? 4 * 1024 * 1024 } });
  worker.unref();
  worker.on("error", (e) => console.error("haki: background WAL checkpoints stopped", e));
  // However it ends (stopped, failed, the file gone), the connection must checkpoint for itself
  // again, or its WAL would grow without end.
  worker.once("exit", () => options.onExit?.());
  return { stop: () => worker.terminate().then(() => undefined) };
}
