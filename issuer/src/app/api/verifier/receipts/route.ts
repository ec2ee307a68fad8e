import { publicJsonPost } from "@/server/api/public-post";
import { preflight } from "@/server/api/cors";
import { ingestReceipts, ReceiptBatch } from "@/server/verifier/ingest-receipts";

export const dynamic = "force-dynamic";

/**
 * POST /api/verifier/receipts { receipts: [{ id, jws }] } (1-100) ->
 * { accepted: [id], duplicate: [id], rejected: [{ id, code }] }. Each receipt carries its device's
 * signature; a re-sent receipt is a duplicate, not an error.
 */
export const POST = publicJsonPost(ReceiptBatch, ingestReceipts);
export const OPTIONS = preflight;
