import { unknownPathRoutes } from "@/server/delivery/oid4vci-route";

export const dynamic = "force-dynamic";

/** Any path under here that no route serves: a JSON 404 (`{ error: "not_found" }`), never an HTML page. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = unknownPathRoutes();
