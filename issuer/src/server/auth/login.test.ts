import { describe, expect, it } from "vitest";
import { createTestUser } from "@/test/context";
import { login } from "./login";
import { readSession, requireSession } from "./sessions";
import { useTestContext, useTestUser } from "@/test/suite";

describe("login and sessions", () => {
  const t = useTestContext();
  const officer = useTestUser(t, ["officer"]);

  it("opens a session for the right password, stores only the token's hash, and audits it", async () => {
    const s = await login(t.ctx, { email: officer.actor.email.toUpperCase(), password: officer.password });
    expect(s).not.toBeNull();
    expect(await t.ctx.db.session.findMany({ where: { id: s!.token } })).toEqual([]);
    expect((await readSession(t.ctx, s!.token))?.actor.roles).toEqual(["officer"]);
    expect(await t.ctx.db.auditEvent.count({ where: { action: "auth.login", subject: officer.actor.id } })).toBe(1);
  });

  it("refuses a wrong password or an unknown person the same way, and audits the attempt", async () => {
    expect(await login(t.ctx, { email: officer.actor.email, password: "wrong password" })).toBeNull();
    expect(await login(t.ctx, { email: "nobody@haki.test", password: "whatever" })).toBeNull();
    expect(await t.ctx.db.auditEvent.count({ where: { action: "auth.login_failed" } })).toBe(2);
    await expect(login(t.ctx, { email: "not an email", password: "x" })).rejects.toMatchObject({ name: "ZodError" });
  });

  it("ends sessions when they expire or the user is disabled", async () => {
    const s = await login(t.ctx, { email: officer.actor.email, password: officer.password });
    t.clock.advance(t.ctx.env.HAKI_SESSION_HOURS * 3_600_000 + 1);
    expect(await readSession(t.ctx, s!.token)).toBeNull();
    const fresh = await login(t.ctx, { email: officer.actor.email, password: officer.password });
    await t.ctx.db.user.update({ where: { id: officer.actor.id }, data: { disabledAt: t.ctx.now() } });
    expect(await readSession(t.ctx, fresh!.token)).toBeNull();
    const req = new Request("https://issuer.haki.test/api/x", { headers: { cookie: `haki_session=${fresh!.token}` } });
    await expect(requireSession(t.ctx, req)).rejects.toMatchObject({ code: "ERR_UNAUTHENTICATED" });
  });

  it("prunes expired sessions as new ones open", async () => {
    const auditor = await createTestUser(t.ctx, ["auditor"]);
    await login(t.ctx, { email: auditor.actor.email, password: auditor.password });
    const live = await t.ctx.db.session.count();
    t.clock.advance(t.ctx.env.HAKI_SESSION_HOURS * 3_600_000 + 1);
    await login(t.ctx, { email: auditor.actor.email, password: auditor.password });
    expect(await t.ctx.db.session.count()).toBe(1);
    expect(live).toBeGreaterThan(1);
  });
});

