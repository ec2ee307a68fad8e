import { MACHINE_ROUTES } from "@/server/api/machine-routes";

export const dynamic = "force-dynamic";

/** GET /status/:list/revocation|suspension|token: the handler of the machine routes' table (`@/server/api/machine-routes`), which the issuer's server also answers without Next's router. */
export const { GET } = MACHINE_ROUTES["/status/[list]/[purpose]"];
