import { z } from "zod";
import { LOCALES } from "@haki/i18n";
import { withConsoleApi } from "@/server/auth/console-route";
import { renderCycleCards } from "@/server/delivery/render-cycle-cards";

export const dynamic = "force-dynamic";

const Query = z.object({ part: z.coerce.number().int().min(1).default(1), locale: z.enum(LOCALES).default("en") });

/** GET /api/cycles/:id/cards?part=1&locale=fr: printable paper cards (PDF, 1,000 per part; officer session). */
export const GET = withConsoleApi<{ id: string }>(async (request, { ctx, actor, params }) => {
  const { id } = params;
  const q = Query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const { pdf, parts } = await renderCycleCards(ctx, id, q, actor);
  return new Response(pdf as unknown as BodyInit, {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="cards-${id}-part${q.part}-of-${parts}.pdf"`,
      "x-haki-parts": String(parts),
      "cache-control": "no-store",
    },
  });
});
