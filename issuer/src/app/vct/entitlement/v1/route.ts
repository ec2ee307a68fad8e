import typeMetadata from "@haki/credentials/vct/entitlement-v1.json";

/**
 * GET /vct/entitlement/v1: the SD-JWT VC type metadata of the entitlement (the document its `vct`
 * https://w3id.org/haki/vct/entitlement/v1 names): names and claim labels in four languages.
 */
export function GET(): Response {
  return Response.json(typeMetadata, {
    headers: { "cache-control": "public, max-age=86400", "access-control-allow-origin": "*" },
  });
}
