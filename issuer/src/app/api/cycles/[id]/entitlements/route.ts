import { z } from "zod";
import { withConsoleApi } from "@/server/auth/console-route";
import { currentLocale } from "@/server/web/page-session";
import { exportCycleEntitlements } from "@/server/export/console-exports";
import { exportResponse } from "@/server/export/table-export";

export const dynamic = "force-dynamic";

const Format = z.object({ format: z.enum(["csv", "xlsx"]).default("csv") });

/** GET /api/cycles/:id/entitlements?status=&area=&delivered=&redeemed=&format=csv|xlsx: the filtered list (console session; audited). */
export const GET = withConsoleApi<{ id: string }>(async (request, { ctx, actor, params }) => {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const { format } = Format.parse(query);
  const { table, fileName } = await exportCycleEntitlements(ctx, params.id, query, actor, await currentLocale());
  return exportResponse(table, format, fileName);
});
