/**
 * Run by `qr.bench.ts` in a child process, in the wallet's folder: the wallet's own presentation
 * code path on an in-memory IndexedDB (fake-indexeddb, as the wallet's tests use). A profile is
 * created, the holder key is restored into it (the wallet's backup import, so the issuer could bind
 * the credentials to that key beforehand), and `createProof` makes the QR payload shown at the
 * counter for each credential read from stdin. Prints the payloads as JSON.
 *
 * With `counterCode`, each proof carries it as the person would type it at the counter (issue 12).
 *
 *   tsx packages/qr/bench/wallet-proofs.ts < { holderJwk, credentials: string[], now, counterCode? }   (cwd: wallet/)
 */
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const walletDir = resolve(import.meta.dirname, "../../wallet");
// fake-indexeddb is the wallet's dev dependency, resolved from the wallet's folder.
await import(pathToFileURL(createRequire(resolve(walletDir, "package.json")).resolve("fake-indexeddb/auto")).href);
const { openWalletDb } = await import("../../wallet/src/storage/db");
const { createProfile } = await import("../../wallet/src/storage/profiles");
const { importHolderKeyFromBackup } = await import("../../wallet/src/wallet/holder-key");
const { createProof } = await import("../../wallet/src/wallet/present");

const chunks: Buffer[] = [];
for await (const c of process.stdin) chunks.push(c as Buffer);
const input = JSON.parse(Buffer.concat(chunks).toString()) as { holderJwk: never; credentials: string[]; now: string; counterCode?: string };

const db = await openWalletDb(`bench-${process.pid}`);
const session = await createProfile(db, { label: "Bench", pin: "482913" }, { iterations: 100_000 });
await importHolderKeyFromBackup(db, session, input.holderJwk);
const payloads: string[] = [];
for (const jwt of input.credentials) payloads.push((await createProof(db, session, jwt, { now: new Date(input.now), ...(input.counterCode ? { counterCode: input.counterCode } : {}) })).payload);
process.stdout.write(JSON.stringify(payloads));
