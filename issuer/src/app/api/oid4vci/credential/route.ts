import { MACHINE_ROUTES } from "@/server/api/machine-routes";

export const dynamic = "force-dynamic";

/** POST /api/oid4vci/credential and its CORS preflight: the handlers of the machine routes' table (`@/server/api/machine-routes`), which the issuer's server also answers without Next's router. */
export const { POST, OPTIONS } = MACHINE_ROUTES["/api/oid4vci/credential"];
