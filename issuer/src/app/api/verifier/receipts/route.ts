import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { preflight, withCors } from "@/server/api/cors";
import { ingestReceipts, ReceiptBatch } from "@/server/verifier/ingest-receipts";

export const dynamic = "force-dynamic";

/**
 * POST /api/verifier/receipts { receipts: [{ id, jws }] } (1-100) ->
 * { accepted: [id], duplicate: [id], rejected: [{ id, code }] }. Each receipt carries its device's
 * signature; a re-sent receipt is a duplicate, not an error.
 */
const handler = withApi(async (request) => {
  const body = await readJson(request, ReceiptBatch);
  return Response.json(await ingestReceipts(getServerContext(), body), { headers: { "cache-control": "no-store" } });
});
export const POST = async (request: Request, context: { params: Promise<Record<string, string>> }) => withCors(await handler(request, context));
export const OPTIONS = preflight;
