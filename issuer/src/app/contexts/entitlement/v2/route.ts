import context from "@haki/credentials/contexts/entitlement-v2.json";

/** GET /contexts/entitlement/v2: Haki's JSON-LD context (a stable copy of ENTITLEMENT_CONTEXT_V2, for VC 2.0 credentials). */
export function GET(): Response {
  return Response.json(context, {
    headers: { "content-type": "application/ld+json", "cache-control": "public, max-age=86400, immutable", "access-control-allow-origin": "*" },
  });
}
