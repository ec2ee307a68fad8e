import { z } from "zod";
import { withConsoleApi } from "@/server/auth/console-route";
import { maxUploadBytes, startImport, tooLarge } from "@/server/registry/start-import";
import { ApiError } from "@/server/api/errors";

export const dynamic = "force-dynamic";

const Query = z.object({
  source: z.string().uuid(),
  name: z.string().trim().min(1).max(200).default("upload.csv"),
  delimiter: z.enum([",", ";", "\t", "|"]).default(","),
});

/** POST /api/imports?source=<id>&name=<file name>: body is the CSV file itself (streamed to disk). */
export const POST = withConsoleApi(async (request, { ctx, actor }) => {
  const type = request.headers.get("content-type") ?? "";
  if (!/^(text\/csv|text\/plain|application\/octet-stream|application\/vnd\.ms-excel)\b/i.test(type)) {
    throw new ApiError("ERR_UNSUPPORTED_MEDIA_TYPE", "Send the CSV file itself as the body (text/csv).");
  }
  // A declared size over the limit is refused before a byte is read; the stream is counted anyway.
  if (Number(request.headers.get("content-length") ?? 0) > maxUploadBytes(ctx)) throw tooLarge(ctx);
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { runId } = await startImport(ctx, { sourceId: q.source, fileName: q.name, body: request.body, delimiter: q.delimiter }, actor);
  return Response.json({ runId }, { status: 202, headers: { location: `/api/imports/${runId}` } });
});
