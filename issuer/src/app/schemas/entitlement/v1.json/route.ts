import schema from "@haki/credentials/schemas/entitlement-v1.json";

/** GET /schemas/entitlement/v1.json: the JSON Schema of the entitlement credential. */
export function GET(): Response {
  return Response.json(schema, {
    headers: { "content-type": "application/schema+json", "cache-control": "public, max-age=86400, immutable", "access-control-allow-origin": "*" },
  });
}
