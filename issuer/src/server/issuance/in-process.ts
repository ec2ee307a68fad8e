import { getEnv } from "@/env";
import { getServerContext } from "@/server/context";
import { runIssuanceWorker } from "./worker";
import { recoverInterruptedImports } from "@/server/registry/recover-imports";

const holder = globalThis as unknown as { __hakiWorker?: AbortController };

/**
 * At start-up: closes imports a previous process left running, and starts one issuance worker in
 * this process (once), unless configuration says workers run apart.
 */
export function startInProcessWorker(): void {
  void recoverInterruptedImports(getServerContext()).catch((e: unknown) => console.error("import recovery failed", e));
  if (holder.__hakiWorker || !getEnv().HAKI_INPROCESS_WORKER) return;
  const controller = new AbortController();
  holder.__hakiWorker = controller;
  void runIssuanceWorker(getServerContext(), { signal: controller.signal }).catch((e: unknown) => console.error("issuance worker stopped", e));
  process.once("SIGTERM", () => controller.abort());
}
