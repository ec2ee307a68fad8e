import { getServerContext } from "@/server/context";
import { withApi } from "@/server/api/route";
import { OIDC_COOKIE, startOidcLogin } from "@/server/auth/oidc";

export const dynamic = "force-dynamic";

/** GET /api/auth/oidc/login: redirects to the configured OpenID Connect provider (404 when none). */
export const GET = withApi(async () => {
  const ctx = getServerContext();
  const { url, cookie } = await startOidcLogin(ctx);
  const secure = ctx.env.HAKI_PUBLIC_URL.startsWith("https:") ? "; Secure" : "";
  return new Response(null, {
    status: 302,
    headers: { location: url, "set-cookie": `${OIDC_COOKIE}=${cookie}; Path=/api/auth/oidc; HttpOnly; SameSite=Lax; Max-Age=600${secure}`, "cache-control": "no-store" },
  });
});
