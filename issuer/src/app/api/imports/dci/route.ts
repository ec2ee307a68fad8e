import { z } from "zod";
import { readJson } from "@/server/api/route";
import { withConsoleApi } from "@/server/auth/console-route";
import { startDciImport } from "@/server/registry/start-dci-import";

export const dynamic = "force-dynamic";

const Body = z.object({ source: z.string().uuid() });

/** POST /api/imports/dci `{ source }`: starts importing a DCI Social Registry source (console session). */
export const POST = withConsoleApi(async (request, { ctx, actor }) => {
  const { source } = await readJson(request, Body, 10_000);
  const { runId } = await startDciImport(ctx, { sourceId: source }, actor);
  return Response.json({ runId }, { status: 202, headers: { location: `/api/imports/${runId}` } });
});
