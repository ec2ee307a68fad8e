/**
 * Runs in Chromium: the verifier's own check path (QR text -> decodeProof -> checkProof over
 * IndexedDB), timed per proof. Loaded by check.bench.ts.
 */
import type { CheckContext } from "@haki/redemption/check";
import { defaultSettings } from "@haki/redemption/settings";
import { verifyFetchedStatusList } from "@haki/redemption/status";
import { verifyTrustBundle } from "@haki/redemption/trust-bundle";
import { openVerifierDb } from "../src/storage/db";
import { checkScannedText } from "../src/verifier/scan-check";

export interface BenchInput {
  bundleJws: string;
  pinnedThumbprint: string;
  servicePoint: string;
  statusLists: Record<string, string>;
  proofs: string[];
  warmup: string[];
}

export interface BenchOutput {
  times: number[];
  outcomes: Record<string, number>;
}

async function runBench(input: BenchInput): Promise<BenchOutput> {
  const now = new Date();
  const bundle = await verifyTrustBundle(input.bundleJws, {
    pinnedThumbprint: input.pinnedThumbprint,
  });
  const db = await openVerifierDb(`bench-${Date.now()}`);
  for (const [url, jwt] of Object.entries(input.statusLists))
    await db.putStatusList(await verifyFetchedStatusList(jwt, url, bundle, now));
  await db.putTrust({ jws: input.bundleJws, bundle, fetchedAt: now.getTime() });
  // What the app holds in memory between scans (loaded once per refresh, as in app.tsx).
  const context: CheckContext = {
    now,
    trust: await db.getTrust(),
    servicePointId: input.servicePoint,
    statusLists: await db.getStatusLists(),
    settings: { ...defaultSettings(), presentationWindowSeconds: 3600 },
    seen: db,
    balances: db,
  };
  for (const text of input.warmup) await checkScannedText(text, { ...context, now: new Date() });
  const times: number[] = [];
  const outcomes: Record<string, number> = {};
  for (const text of input.proofs) {
    const t0 = performance.now();
    const d = await checkScannedText(text, { ...context, now: new Date() });
    times.push(performance.now() - t0);
    const key = d.outcome === "green" ? "green" : d.code;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  db.close();
  return { times, outcomes };
}

(window as unknown as { runBench: typeof runBench }).runBench = runBench;
