import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { preflight } from "@/server/api/cors";
import { ingestReceipts, ReceiptBatch } from "@/server/verifier/ingest-receipts";

export const dynamic = "force-dynamic";

/**
 * POST /api/verifier/receipts { receipts: [{ id, jws }] } (1-100) ->
 * { accepted: [id], duplicate: [id], rejected: [{ id, code }] }. Each receipt carries its device's
 * signature; a re-sent receipt is a duplicate, not an error.
 */
export const POST = withApi(async (request) => {
  const body = await readJson(request, ReceiptBatch);
  return Response.json(await ingestReceipts(getServerContext(), body), { headers: { "cache-control": "no-store" } });
}, { cors: true });
export const OPTIONS = preflight;
