import { getServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { OIDC_COOKIE, finishOidcLogin } from "@/server/auth/oidc";
import { cookieValue, sessionCookie } from "@/server/auth/sessions";

export const dynamic = "force-dynamic";

/**
 * GET /api/auth/oidc/callback?code=&state=: the provider's redirect. Opens a session and goes to
 * the console, or back to the login page with ?error=oidc.
 */
export async function GET(request: Request): Promise<Response> {
  const ctx = getServerContext();
  const q = new URL(request.url).searchParams;
  const secure = ctx.env.HAKI_PUBLIC_URL.startsWith("https:");
  const clearFlow = `${OIDC_COOKIE}=; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=0`;
  const base = ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, "");
  try {
    const s = await finishOidcLogin(ctx, { code: q.get("code"), state: q.get("state"), cookie: cookieValue(request.headers.get("cookie"), OIDC_COOKIE) });
    const headers = new Headers({ location: `${base}/`, "cache-control": "no-store" });
    headers.append("set-cookie", sessionCookie(s.token, s.expiresAt, secure));
    headers.append("set-cookie", clearFlow);
    return new Response(null, { status: 302, headers });
  } catch (e) {
    if (!(e instanceof ApiError) && !(e instanceof Error && e.name === "ZodError")) console.error("issuer: OIDC sign-in failed", e);
    const code = e instanceof ApiError ? e.code : "ERR_UNAUTHENTICATED";
    return new Response(null, { status: 302, headers: { location: `${base}/login?error=${code}`, "set-cookie": clearFlow, "cache-control": "no-store" } });
  }
}
