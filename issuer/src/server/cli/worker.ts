// `pnpm --filter @haki/issuer worker`: an issuance worker process (run several to share the work).
import { getServerContext } from "@/server/context";
import { runIssuanceWorker } from "@/server/issuance/worker";

const controller = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => controller.abort());
console.log("issuance worker: waiting for jobs");
await runIssuanceWorker(getServerContext(), { signal: controller.signal });
await getServerContext().db.$disconnect();
