/**
 * The machine-to-machine routes wallets and verifiers call at volume: the OpenID4VCI token, nonce,
 * credential and notification endpoints and the status lists. One table: each route file under
 * `src/app` exports its methods from here, and the issuer's server (`src/server/cli/serve.ts`)
 * answers the same paths with the same functions without going through Next's router, so the two
 * ways in cannot drift apart. Anything not in the table (another method, a trailing slash, a path
 * nothing is published at) goes to Next.
 */
import { z } from "zod";
import { handleCredentialRequest, handleNonceRequest, handleNotificationRequest, handlePreflightRequest, handleTokenRequest, toResponse, type IssuanceDeps } from "@haki/openid4vci/server";
import { getServerContext } from "@/server/context";
import { issuanceDeps } from "@/server/delivery/oid4vci";
import { withOid4vci, type Oid4vciEndpoint } from "@/server/delivery/oid4vci-route";
import { getStatusListCredential, STATUS_LIST_TTL_MS } from "@/server/status/status-lists";
import { withApi, type RouteContext } from "./route";

export type MachineHandler<P extends Record<string, string> = Record<string, string>> = (request: Request, context: RouteContext<P>) => Response | Promise<Response>;

/** CORS preflight: browser wallets (the Haki wallet PWA) call the OpenID4VCI endpoints from their own origin. */
const preflight = () => toResponse(handlePreflightRequest());

/**
 * An OpenID4VCI endpoint's methods: POST answered by the package's handler with the issuer's
 * dependencies (rate-limited and errors in the spec's shape, `withOid4vci`), and the CORS preflight.
 */
function oid4vciRoute(endpoint: Oid4vciEndpoint, handle: (request: Request, deps: IssuanceDeps) => Promise<Parameters<typeof toResponse>[0]>) {
  return {
    POST: withOid4vci(endpoint, async (request) => toResponse(await handle(request, issuanceDeps(getServerContext())))),
    OPTIONS: preflight,
  };
}

const StatusParams = z.object({ list: z.coerce.number().int().min(1).max(1_000_000), purpose: z.enum(["revocation", "suspension", "token"]) });

/**
 * GET /status/:list/revocation|suspension: the signed Bitstring Status List credential (VC-JWT);
 * GET /status/:list/token: the IETF Status List Token (`statuslist+jwt`, 2 bits per entry) of the
 * same pair, which SD-JWT VCs point at. All three are signed together from the same bits. Cacheable
 * for the lists' ttl; the ETag changes with every signature.
 */
const statusList = withApi<{ list: string; purpose: string }>(async (request, { params }) => {
  const { list, purpose } = StatusParams.parse(await params);
  const { jwt, etag } = await getStatusListCredential(getServerContext(), list, purpose);
  const headers = {
    etag,
    "cache-control": `public, max-age=${STATUS_LIST_TTL_MS / 1000}`,
    "access-control-allow-origin": "*",
  };
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  return new Response(jwt, { headers: { ...headers, "content-type": purpose === "token" ? "application/statuslist+jwt" : "application/vc+jwt" } });
});

/**
 * Every machine route, by its path as Next names it (`[name]` for a dynamic segment), and method.
 *
 * @example
 * export const { POST, OPTIONS } = MACHINE_ROUTES["/api/oid4vci/credential"]; // in the route file
 */
export const MACHINE_ROUTES = {
  /** POST /api/oid4vci/token (OpenID4VCI pre-authorised code flow; errors in the spec's shape). */
  "/api/oid4vci/token": oid4vciRoute("token", handleTokenRequest),
  /** POST /api/oid4vci/nonce (OpenID4VCI 1.0: a fresh c_nonce). */
  "/api/oid4vci/nonce": oid4vciRoute("nonce", handleNonceRequest),
  /** POST /api/oid4vci/credential (proofs checked, one credential per holder key). */
  "/api/oid4vci/credential": oid4vciRoute("credential", handleCredentialRequest),
  /**
   * POST /api/oid4vci/notification (OpenID4VCI 1.0 section 11): the wallet says a card was kept
   * (`credential_accepted`), could not be kept or was deleted; the delivery records it for the console.
   */
  "/api/oid4vci/notification": oid4vciRoute("notification", handleNotificationRequest),
  "/status/[list]/[purpose]": { GET: statusList },
} satisfies Record<string, Partial<Record<string, MachineHandler<never>>>>;

type Pattern = { segments: string[]; methods: Partial<Record<string, MachineHandler>> };
const PATTERNS: Pattern[] = Object.entries(MACHINE_ROUTES).map(([path, methods]) => ({
  segments: path.split("/").slice(1),
  methods: methods as Partial<Record<string, MachineHandler>>,
}));

/**
 * The handler and path parameters of a request's method and path, when the table has them (the
 * path exactly as Next matches it: no trailing slash, each dynamic segment one non-empty segment,
 * percent-decoded).
 *
 * @example
 * matchMachineRoute("GET", "/status/1/revocation"); // { handler, params: { list: "1", purpose: "revocation" } }
 */
export function matchMachineRoute(method: string, pathname: string): { handler: MachineHandler; params: Record<string, string> } | undefined {
  const segments = pathname.split("/").slice(1);
  for (const pattern of PATTERNS) {
    const handler = pattern.methods[method];
    if (!handler || pattern.segments.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const want = pattern.segments[i]!;
      const got = segments[i]!;
      if (want.startsWith("[")) {
        const value = got === "" ? undefined : safeDecode(got);
        if (value === undefined) ok = false;
        else params[want.slice(1, -1)] = value;
      } else ok = want === got;
    }
    if (ok) return { handler, params };
  }
  return undefined;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
