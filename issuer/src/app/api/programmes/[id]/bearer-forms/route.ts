import { z } from "zod";
import { readJson } from "@/server/api/route";
import { withConsoleApi } from "@/server/auth/console-route";
import { BearerFormsMode, saveProgrammeBearerForms } from "@/server/programmes/save-programme-bearer-forms";

export const dynamic = "force-dynamic";

const Body = z.object({ bearerForms: BearerFormsMode });

/**
 * PUT /api/programmes/:id/bearer-forms { bearerForms: "one" | "both" } (console session + CSRF;
 * officer or admin; audited `programme.bearer_forms`): whether a phone delivery revokes the paper
 * card ("one", the default) or both stay valid. Answers { bearerForms }.
 */
export const PUT = withConsoleApi<{ id: string }>(async (request, { ctx, actor, params }) => {
  const { id } = params;
  const body = await readJson(request, Body);
  return Response.json(await saveProgrammeBearerForms(ctx, { programmeId: id, bearerForms: body.bearerForms }, actor));
});
