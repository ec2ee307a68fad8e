import context from "@haki/credentials/contexts/entitlement-v1.json";

/** GET /contexts/entitlement/v1: Haki's JSON-LD context (a stable copy of ENTITLEMENT_CONTEXT_V1). */
export function GET(): Response {
  return Response.json(context, {
    headers: { "content-type": "application/ld+json", "cache-control": "public, max-age=86400, immutable", "access-control-allow-origin": "*" },
  });
}
