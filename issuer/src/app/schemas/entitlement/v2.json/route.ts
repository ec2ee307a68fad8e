import schema from "@haki/credentials/schemas/entitlement-v2.json";

/** GET /schemas/entitlement/v2.json: the JSON Schema of the VC 2.0 entitlement credential (the `vc+jwt` claims set). */
export function GET(): Response {
  return Response.json(schema, {
    headers: { "content-type": "application/schema+json", "cache-control": "public, max-age=86400, immutable", "access-control-allow-origin": "*" },
  });
}
