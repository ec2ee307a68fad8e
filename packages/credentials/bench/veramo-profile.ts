/**
 * Where a Veramo agent round trip spends its time: CPU-profiles createVerifiableCredential and
 * verifyCredential (JWT, did:key Ed25519) with node:inspector and prints self time by package and
 * the top functions. Reproduce with:
 *
 *   npx tsx packages/credentials/bench/veramo-profile.ts
 */
import { Session } from "node:inspector/promises";
import { createHakiAgent } from "../src/agent";
import { generateKeyPair } from "../src/keys";
import { trustListOf } from "../src/trust";
import { veramoDemoCredential } from "./veramo-credential";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const holder = await generateKeyPair();
const agent = await createHakiAgent({ trust: trustListOf({ did: holder.did, name: "unused" }) });
const id = await agent.didManagerCreate({ provider: "did:key", kms: "local", options: { keyType: "Ed25519" } });
const credential = veramoDemoCredential(id.did, holder.did);
const now = Date.parse("2027-03-15T12:00:00Z") / 1000;

async function profile(name: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 200; i++) await fn();
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: 100 });
  await session.post("Profiler.start");
  const t = performance.now();
  for (let i = 0; i < n; i++) await fn();
  const elapsed = performance.now() - t;
  const { profile } = (await session.post("Profiler.stop")) as { profile: Profile };
  session.disconnect();

  const self = new Map<number, number>();
  profile.samples.forEach((nodeId, i) => self.set(nodeId, (self.get(nodeId) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = self.get(node.id) ?? 0;
    if (!us) continue;
    total += us;
    const url = node.callFrame.url;
    const m = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
    const pkg = m?.[1] ?? (url.startsWith("node:") ? "node internals" : url ? "haki / other" : "(V8 builtins, GC, native)");
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fnKey = `${node.callFrame.functionName || "(anonymous)"} [${pkg}]`;
    byFunction.set(fnKey, (byFunction.get(fnKey) ?? 0) + us);
  }
  const top = (m: Map<string, number>, k: number) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([key, us]) => `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${key}`).join("\n");
  console.log(`\n== ${name}: ${Math.round((n * 1000) / elapsed)} /s under the profiler`);
  console.log(`self time by package:\n${top(byPackage, 10)}`);
  console.log(`top functions:\n${top(byFunction, 12)}`);
}

const vc = await agent.createVerifiableCredential({ credential, proofFormat: "jwt" });
await profile("Veramo createVerifiableCredential (jwt)", 1500, () => agent.createVerifiableCredential({ credential, proofFormat: "jwt" }));
await profile("Veramo verifyCredential (jwt)", 600, () => agent.verifyCredential({ credential: vc, policies: { now, credentialStatus: false } }));
