import { describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import { createTestUser, TEST_SCRYPT } from "@/test/context";
import { callRoute, errorCode } from "@/test/http";
import { GET as jobProgress } from "@/app/api/jobs/[id]/route";
import { login } from "./login";
import { readSession, requireSession } from "./sessions";
import { changePassword, disableUser, enableUser, resetPassword, updateUser } from "./manage-users";
import { createApiToken, requireApiToken, revokeApiToken } from "./api-tokens";
import { readUsers } from "./read-users";
import { readApiTokens } from "./read-api-tokens";
import { useTestContext, useTestUser } from "@/test/suite";

describe.each(testProviders())("user and API token lifecycle on %s", (provider) => {
  const t = useTestContext(provider);
  const admin = useTestUser(t, ["admin"]);

  it("disable a user: their sessions end at once, sign-in is refused, audited; enabling lets them back", async () => {
    const officer = await createTestUser(t.ctx, ["officer"]);
    const s = await login(t.ctx, { email: officer.actor.email, password: officer.password });
    expect(await readSession(t.ctx, s!.token)).not.toBeNull();
    await disableUser(t.ctx, { userId: officer.actor.id, reason: "left the programme" }, admin.actor);
    expect(await readSession(t.ctx, s!.token)).toBeNull();
    expect(await t.ctx.db.session.count({ where: { userId: officer.actor.id } })).toBe(0);
    // The route API refuses the fixture's session cookie too.
    expect(await errorCode(await callRoute(jobProgress, { params: { id: "x" }, headers: officer.headers }))).toBe("ERR_UNAUTHENTICATED");
    expect(await login(t.ctx, { email: officer.actor.email, password: officer.password })).toBeNull();
    expect(await t.ctx.db.auditEvent.count({ where: { action: "user.disable", subject: officer.actor.id } })).toBe(1);
    expect((await readUsers(t.ctx)).find((u) => u.id === officer.actor.id)?.disabledAt).toEqual(t.ctx.now());
    await enableUser(t.ctx, { userId: officer.actor.id }, admin.actor);
    expect(await login(t.ctx, { email: officer.actor.email, password: officer.password })).not.toBeNull();
    // Only an admin, and never their own account.
    await expect(disableUser(t.ctx, { userId: admin.actor.id }, admin.actor)).rejects.toMatchObject({ code: "ERR_CONFLICT" });
    await expect(disableUser(t.ctx, { userId: admin.actor.id }, officer.actor)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
  });

  it("reset a password: a one-time password that only lets the person choose a new one", async () => {
    const approver = await createTestUser(t.ctx, ["approver"]);
    const { oneTimePassword } = await resetPassword(t.ctx, { userId: approver.actor.id }, admin.actor, { scrypt: TEST_SCRYPT });
    expect(oneTimePassword.length).toBeGreaterThanOrEqual(16);
    // The old password and the old sessions are gone.
    expect(await readSession(t.ctx, approver.cookie.split("=")[1])).toBeNull();
    expect(await login(t.ctx, { email: approver.actor.email, password: approver.password })).toBeNull();
    const s = await login(t.ctx, { email: approver.actor.email, password: oneTimePassword });
    expect(s).toMatchObject({ mustChangePassword: true });
    const session = (await readSession(t.ctx, s!.token))!;
    expect(session.mustChangePassword).toBe(true);
    // Nothing else is allowed meanwhile.
    const req = new Request("https://issuer.haki.test/api/jobs/x", { headers: { cookie: `haki_session=${s!.token}` } });
    await expect(requireSession(t.ctx, req)).rejects.toMatchObject({ code: "ERR_PASSWORD_CHANGE_REQUIRED" });
    await expect(changePassword(t.ctx, { current: "not it", next: "a new long passphrase" }, session.actor, session.sessionId)).rejects.toMatchObject({ code: "ERR_FORBIDDEN" });
    await changePassword(t.ctx, { current: oneTimePassword, next: "a new long passphrase" }, session.actor, session.sessionId, { scrypt: TEST_SCRYPT });
    expect((await readSession(t.ctx, s!.token))?.mustChangePassword).toBe(false);
    expect(await login(t.ctx, { email: approver.actor.email, password: oneTimePassword })).toBeNull();
    expect(await login(t.ctx, { email: approver.actor.email, password: "a new long passphrase" })).toMatchObject({ mustChangePassword: false });
    expect(await t.ctx.db.auditEvent.count({ where: { subject: approver.actor.id, action: { in: ["user.password_reset", "user.password_change"] } } })).toBe(2);
  });

  it("edits a user's name and roles (admin), audited; an admin cannot drop their own admin role", async () => {
    const person = await createTestUser(t.ctx, ["officer"]);
    await updateUser(t.ctx, { userId: person.actor.id, name: "Amina Wanjiru", roles: ["officer", "approver"] }, admin.actor);
    expect((await readUsers(t.ctx)).find((u) => u.id === person.actor.id)).toMatchObject({ name: "Amina Wanjiru", roles: expect.arrayContaining(["officer", "approver"]) });
    await expect(updateUser(t.ctx, { userId: admin.actor.id, name: "Me", roles: ["officer"] }, admin.actor)).rejects.toMatchObject({ code: "ERR_CONFLICT" });
  });

  it("revoke an API token: refused from then on, shown revoked, audited", async () => {
    const { id, token } = await createApiToken(t.ctx, { name: "MIS integration", scopes: ["verify"] }, admin.actor);
    const call = () => requireApiToken(t.ctx, new Request("https://issuer.haki.test/credentials/verify", { headers: { authorization: `Bearer ${token}` } }), "verify");
    await expect(call()).resolves.toMatchObject({ id });
    expect((await readApiTokens(t.ctx)).find((k) => k.id === id)?.lastUsedAt).toEqual(t.ctx.now());
    await revokeApiToken(t.ctx, { id }, admin.actor);
    await expect(call()).rejects.toMatchObject({ code: "ERR_UNAUTHENTICATED" });
    expect((await readApiTokens(t.ctx)).find((k) => k.id === id)).toMatchObject({ revoked: true });
    expect(await t.ctx.db.auditEvent.count({ where: { action: "api_token.revoke", subject: id } })).toBe(1);
  });
});
