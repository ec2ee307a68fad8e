import { z } from "zod";
import { LOCALES } from "@haki/i18n";
import { withConsoleApi } from "@/server/auth/console-route";
import { reprintCard } from "@/server/delivery/render-cycle-cards";

export const dynamic = "force-dynamic";

const Query = z.object({ locale: z.enum(LOCALES).default("en") });

/** GET /api/entitlements/:id/card?locale=: one paper card again (PDF; officer session; audited, marked printed). */
export const GET = withConsoleApi<{ id: string }>(async (request, { ctx, actor, params }) => {
  const { locale } = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const id = z.string().uuid().parse(params.id);
  const pdf = await reprintCard(ctx, { entitlementId: id, locale }, actor);
  return new Response(pdf as unknown as BodyInit, {
    headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="card-${id}.pdf"`, "cache-control": "no-store" },
  });
});
