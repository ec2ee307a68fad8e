import { z } from "zod";
import { getServerContext } from "@/server/context";
import { readJson, withApi } from "@/server/api/route";
import { requireSession } from "@/server/auth/sessions";
import { BearerFormsMode, saveProgrammeBearerForms } from "@/server/programmes/save-programme-bearer-forms";

export const dynamic = "force-dynamic";

const Body = z.object({ bearerForms: BearerFormsMode });

/**
 * PUT /api/programmes/:id/bearer-forms { bearerForms: "one" | "both" } (console session + CSRF;
 * officer or admin; audited `programme.bearer_forms`): whether a phone delivery revokes the paper
 * card ("one", the default) or both stay valid. Answers { bearerForms }.
 */
export const PUT = withApi<{ id: string }>(async (request, { params }) => {
  const ctx = getServerContext();
  const { actor } = await requireSession(ctx, request);
  const { id } = await params;
  const body = await readJson(request, Body);
  return Response.json(await saveProgrammeBearerForms(ctx, { programmeId: id, bearerForms: body.bearerForms }, actor));
});
