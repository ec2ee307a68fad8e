import { ISSUER_ENDPOINTS } from "@haki/redemption/setup";
import { createSyncQueue, type SyncQueue } from "@haki/redemption/sync-queue";
import type { VerifierDb } from "../storage/db";
import { issuerUrl, postJson, type Fetch } from "./http";

/**
 * The receipts outbox of this device, sending to the issuer it enrolled with.
 *
 * @example
 * const queue = createReceiptSync({ db, issuer: enrolment.issuer, fetch, now: Date.now });
 * await queue.flush();
 */
export function createReceiptSync(args: {
  db: VerifierDb;
  issuer: string;
  fetch: Fetch;
  now: () => number;
}): SyncQueue {
  return createSyncQueue({
    store: args.db,
    now: args.now,
    send: async (batch) =>
      postJson(args.fetch, issuerUrl(args.issuer, ISSUER_ENDPOINTS.receipts), batch) as never,
  });
}
