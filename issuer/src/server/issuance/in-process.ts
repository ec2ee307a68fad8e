import { getEnv } from "../../env";
import { getServerContext } from "../context";
import { runIssuanceWorker } from "./worker";

const holder = globalThis as unknown as { __hakiWorker?: AbortController };

/** Starts one issuance worker in this process (once), unless configuration says workers run apart. */
export function startInProcessWorker(): void {
  if (holder.__hakiWorker || !getEnv().HAKI_INPROCESS_WORKER) return;
  const controller = new AbortController();
  holder.__hakiWorker = controller;
  void runIssuanceWorker(getServerContext(), { signal: controller.signal }).catch((e: unknown) => console.error("issuance worker stopped", e));
  process.once("SIGTERM", () => controller.abort());
}
