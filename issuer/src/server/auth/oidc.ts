/**
 * Console login through an OpenID Connect provider (authorization code flow with PKCE, state and
 * nonce). The provider proves who the person is; roles stay in Haki: only people an admin created
 * (matched by provider subject, or by verified email on first use) may sign in.
 */
import { createHash } from "node:crypto";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from "jose";
import { z } from "zod";
import { oidcSettings } from "@/env";
import type { ServerContext } from "@/server/context";
import { ApiError } from "@/server/api/errors";
import { appendAuditEvent } from "@/server/audit/append-audit-event";
import { newSecret } from "@/server/lib/ids";
import { safeEqual } from "@/server/lib/hash";
import { createSession } from "./sessions";

export const OIDC_COOKIE = "haki_oidc";
const FLOW_MINUTES = 10;

const Discovery = z.object({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
});
type Discovery = z.infer<typeof Discovery>;

const FlowCookie = z.object({ state: z.string(), nonce: z.string(), verifier: z.string(), exp: z.number() });

const discoveryCache = new Map<string, { at: number; doc: Discovery }>();

async function getJson(ctx: ServerContext, url: string, init?: RequestInit): Promise<unknown> {
  const res = await ctx.fetch(url, init);
  if (!res.ok) throw new ApiError("ERR_UNAUTHENTICATED", `The sign-in provider answered ${res.status}.`);
  return res.json();
}

async function discover(ctx: ServerContext, issuer: string): Promise<Discovery> {
  const hit = discoveryCache.get(issuer);
  if (hit && ctx.now().getTime() - hit.at < 3_600_000) return hit.doc;
  const doc = Discovery.parse(await getJson(ctx, `${issuer}/.well-known/openid-configuration`));
  if (doc.issuer.replace(/\/+$/, "") !== issuer) throw new ApiError("ERR_UNAUTHENTICATED", "The sign-in provider names another issuer.");
  discoveryCache.set(issuer, { at: ctx.now().getTime(), doc });
  return doc;
}

/** Where the provider sends people back. */
export function oidcRedirectUri(ctx: ServerContext): string {
  return `${ctx.env.HAKI_PUBLIC_URL.replace(/\/+$/, "")}/api/auth/oidc/callback`;
}

/**
 * Starts a sign-in: the provider URL to redirect to, and the flow cookie (state, nonce, PKCE
 * verifier) to set, HttpOnly, for ten minutes.
 *
 * @example
 * const { url, cookie } = await startOidcLogin(ctx);
 */
export async function startOidcLogin(ctx: ServerContext): Promise<{ url: string; cookie: string }> {
  const settings = oidcSettings(ctx.env);
  if (!settings) throw new ApiError("ERR_NOT_FOUND", "No sign-in provider is configured.");
  const doc = await discover(ctx, settings.issuer);
  const flow = { state: newSecret(16), nonce: newSecret(16), verifier: newSecret(32), exp: ctx.now().getTime() + FLOW_MINUTES * 60_000 };
  const url = new URL(doc.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: "code",
    client_id: settings.clientId,
    redirect_uri: oidcRedirectUri(ctx),
    scope: "openid email profile",
    state: flow.state,
    nonce: flow.nonce,
    code_challenge: createHash("sha256").update(flow.verifier).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  return { url: url.toString(), cookie: Buffer.from(JSON.stringify(flow)).toString("base64url") };
}

/**
 * Finishes a sign-in from the provider's redirect: checks state, exchanges the code (with the PKCE
 * verifier), verifies the ID token (signature, issuer, audience, expiry, nonce), finds the person,
 * and opens a session. Throws ERR_UNAUTHENTICATED (or ERR_FORBIDDEN for someone Haki does not know).
 *
 * @example
 * const { token, expiresAt } = await finishOidcLogin(ctx, { code, state, cookie });
 */
export async function finishOidcLogin(
  ctx: ServerContext,
  args: { code: string | null; state: string | null; cookie: string | undefined },
): Promise<{ token: string; expiresAt: Date; userId: string }> {
  const settings = oidcSettings(ctx.env);
  if (!settings) throw new ApiError("ERR_NOT_FOUND", "No sign-in provider is configured.");
  let flow: z.infer<typeof FlowCookie>;
  try {
    flow = FlowCookie.parse(JSON.parse(Buffer.from(args.cookie ?? "", "base64url").toString()));
  } catch (cause) {
    throw new ApiError("ERR_UNAUTHENTICATED", "The sign-in took too long or was started elsewhere; try again.", { cause });
  }
  if (flow.exp < ctx.now().getTime() || !args.state || !safeEqual(args.state, flow.state) || !args.code) {
    throw new ApiError("ERR_UNAUTHENTICATED", "The sign-in took too long or was started elsewhere; try again.");
  }
  const doc = await discover(ctx, settings.issuer);
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code: args.code,
    redirect_uri: oidcRedirectUri(ctx),
    client_id: settings.clientId,
    code_verifier: flow.verifier,
    ...(settings.clientSecret ? { client_secret: settings.clientSecret } : {}),
  });
  const tokens = z
    .object({ id_token: z.string() })
    .parse(await getJson(ctx, doc.token_endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body }));
  const jwks = (await getJson(ctx, doc.jwks_uri)) as JSONWebKeySet;
  let claims;
  try {
    ({ payload: claims } = await jwtVerify(tokens.id_token, createLocalJWKSet(jwks), {
      issuer: doc.issuer,
      audience: settings.clientId,
      currentDate: ctx.now(),
    }));
  } catch (cause) {
    throw new ApiError("ERR_UNAUTHENTICATED", "The sign-in provider's answer could not be verified.", { cause });
  }
  if (claims.nonce !== flow.nonce || typeof claims.sub !== "string") {
    throw new ApiError("ERR_UNAUTHENTICATED", "The sign-in provider's answer could not be verified.");
  }
  const subject = `${doc.issuer}|${claims.sub}`;
  let user = await ctx.db.user.findUnique({ where: { oidcSubject: subject } });
  const email = typeof claims.email === "string" && claims.email_verified === true ? claims.email.toLowerCase() : undefined;
  if (!user && email) {
    const byEmail = await ctx.db.user.findUnique({ where: { email } });
    // First sign-in through the provider links the account; later ones match the subject.
    if (byEmail && !byEmail.oidcSubject) user = await ctx.db.user.update({ where: { id: byEmail.id }, data: { oidcSubject: subject } });
  }
  if (!user || user.disabledAt) {
    await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: null, action: "auth.oidc_refused", subject: email ?? subject }));
    throw new ApiError("ERR_FORBIDDEN", "You are not registered in this console; ask an administrator.");
  }
  const session = await createSession(ctx, user.id);
  const userId = user.id;
  await ctx.db.$transaction((tx) => appendAuditEvent(tx, ctx, { actorId: userId, action: "auth.login", subject: userId, details: { method: "oidc" } }));
  return { token: session.token, expiresAt: session.expiresAt, userId };
}
