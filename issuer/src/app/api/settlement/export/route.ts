import { z } from "zod";
import { withConsoleApi } from "@/server/auth/console-route";
import { currentLocale } from "@/server/web/page-session";
import { exportSettlement } from "@/server/export/console-exports";
import { exportResponse } from "@/server/export/table-export";

export const dynamic = "force-dynamic";

const Query = z.object({ servicePoint: z.string(), from: z.string(), to: z.string(), format: z.enum(["csv", "xlsx"]).default("csv") });

/** GET /api/settlement/export?servicePoint=&from=&to=&format=csv|xlsx: a settlement with its signed receipts, streamed (console session; audited). */
export const GET = withConsoleApi(async (request, { ctx, actor }) => {
  const { format, ...period } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { table, fileName, summary } = await exportSettlement(ctx, period, actor, await currentLocale());
  return exportResponse(table, format, fileName, summary);
});
