/**
 * What a service point device fetches from the issuer (its status lists and the trust bundle),
 * answered by the issuer's own route handlers in process: the real artefacts, no HTTP port.
 */
import { ISSUER_ENDPOINTS } from "@haki/redemption/setup";
import { GET as statusList } from "@/app/status/[list]/[purpose]/route";
import { GET as trustBundle } from "@/app/api/verifier/trust-bundle/route";

type Route = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

/**
 * The text the issuer answers for `url` (a status list or the trust bundle); throws on any other
 * path or status, as a device's fetch would fail.
 *
 * @example
 * await refreshDevice(store, { fetchText: deviceFetchText, ... });
 */
export async function deviceFetchText(url: string): Promise<string> {
  const u = new URL(url);
  const list = /^\/status\/(\d+)\/(revocation|suspension)$/.exec(u.pathname);
  const res = list
    ? await (statusList as Route)(new Request(url), { params: Promise.resolve({ list: list[1]!, purpose: list[2]! }) })
    : u.pathname === ISSUER_ENDPOINTS.trustBundle
      ? await (trustBundle as Route)(new Request(url), { params: Promise.resolve({}) })
      : new Response("not found", { status: 404 });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
  return res.text();
}
