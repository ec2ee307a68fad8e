import { describe, expect, it, vi } from "vitest";
import { testProviders } from "@haki/db/testing";
import { createServerContext } from "@/server/context";
import { createTestUser } from "@/test/context";
import { clientAddressOf } from "@/server/web/client-address";
import { ACCOUNT_POLICY, ADDRESS_POLICY, createHashSlots, lockoutMs } from "./login-throttle";
import { useTestContext } from "@/test/suite";

// Counts the password hashes sign-ins make (the real function runs).
const hashes = vi.hoisted(() => ({ count: 0 }));
vi.mock("./password", async (original) => {
  const real = await original<typeof import("./password")>();
  return {
    ...real,
    verifyPassword: async (password: string, stored: string) => {
      hashes.count++;
      return real.verifyPassword(password, stored);
    },
  };
});
const { login } = await import("./login");

const failureOf = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { code?: string; details?: { retryAfterSeconds?: number } });

describe("sign-in lockout times", () => {
  it("grow with each failure past the free tries, up to a cap", () => {
    expect([4, 5, 6, 7, 8].map((n) => lockoutMs(n, ACCOUNT_POLICY))).toEqual([0, 30_000, 60_000, 120_000, 240_000]);
    expect(lockoutMs(40, ACCOUNT_POLICY)).toBe(3_600_000);
    expect(lockoutMs(19, ADDRESS_POLICY)).toBe(0);
  });
});

describe.each(testProviders())("console sign-in throttle on %s", (provider) => {
  const t = useTestContext(provider);

  it("console sign-in throttle per account: growing delays, refused before hashing, each lockout audited", async () => {
    const officer = await createTestUser(t.ctx, ["officer"]);
    const email = officer.actor.email;
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) expect(await login(t.ctx, { email, password: "wrong password" })).toBeNull();
    // Locked for 30 s: even the right password is refused, and nothing is hashed.
    const before = hashes.count;
    const locked = await failureOf(login(t.ctx, { email, password: officer.password }));
    expect(locked).toMatchObject({ code: "ERR_TOO_MANY_ATTEMPTS", details: { retryAfterSeconds: 30 } });
    expect(hashes.count).toBe(before);
    expect(await t.ctx.db.auditEvent.count({ where: { action: "auth.lockout", subject: email } })).toBe(1);
    // After the lockout one more failure locks twice as long.
    t.clock.advance(30_001);
    expect(await login(t.ctx, { email, password: "wrong again" })).toBeNull();
    expect(await failureOf(login(t.ctx, { email, password: officer.password }))).toMatchObject({ details: { retryAfterSeconds: 60 } });
    t.clock.advance(60_001);
    expect(await login(t.ctx, { email, password: "still wrong" })).toBeNull();
    expect(await failureOf(login(t.ctx, { email, password: officer.password }))).toMatchObject({ details: { retryAfterSeconds: 120 } });
    const lockouts = await t.ctx.db.auditEvent.findMany({ where: { action: "auth.lockout", subject: email }, orderBy: { seq: "asc" } });
    expect(lockouts.map((e) => JSON.parse(e.details) as { failures: number })).toMatchObject([{ scope: "account", failures: 5 }, { failures: 6 }, { failures: 7 }]);
    // The right password after the lockout opens a session and clears the count.
    t.clock.advance(120_001);
    expect(await login(t.ctx, { email, password: officer.password })).not.toBeNull();
    expect(await login(t.ctx, { email, password: "one slip" })).toBeNull();
    expect(await login(t.ctx, { email, password: officer.password })).not.toBeNull();
  });

  it("an unknown account is throttled (and hashed) exactly like a real one", async () => {
    const email = "nobody-here@haki.test";
    for (let i = 0; i < ACCOUNT_POLICY.free; i++) {
      const before = hashes.count;
      expect(await login(t.ctx, { email, password: "guess" })).toBeNull();
      expect(hashes.count).toBe(before + 1);
    }
    expect(await failureOf(login(t.ctx, { email, password: "guess" }))).toMatchObject({ code: "ERR_TOO_MANY_ATTEMPTS" });
  });

  it("console sign-in throttle per client address: many accounts tried from one address lock the address, shared by every issuer instance", async () => {
    const address = "196.201.214.10";
    // A second issuer instance on the same database: its own context, the same counts.
    const other = createServerContext(t.ctx.env, { db: t.ctx.db, now: () => t.clock.now });
    for (let i = 0; i < ADDRESS_POLICY.free; i++) {
      const ctx = i % 2 === 0 ? t.ctx : other;
      expect(await login(ctx, { email: `spray-${i}@haki.test`, password: "Password1!" }, { address })).toBeNull();
    }
    const officer = await createTestUser(t.ctx, ["officer"]);
    expect(await failureOf(login(other, { email: officer.actor.email, password: officer.password }, { address }))).toMatchObject({ code: "ERR_TOO_MANY_ATTEMPTS" });
    // Another address is not affected; the lockout names the address.
    expect(await login(t.ctx, { email: officer.actor.email, password: officer.password }, { address: "196.201.214.11" })).not.toBeNull();
    expect(await t.ctx.db.auditEvent.count({ where: { action: "auth.lockout", subject: address } })).toBe(1);
    // A quiet day forgets the failures (and the rows).
    t.clock.advance(25 * 3_600_000);
    expect(await login(t.ctx, { email: officer.actor.email, password: officer.password }, { address })).not.toBeNull();
    expect(await login(t.ctx, { email: "late@haki.test", password: "x" }, { address: "196.201.214.12" })).toBeNull();
    expect(await t.ctx.db.loginThrottle.count({ where: { key: `address:${address}` } })).toBe(0);
  });
});

describe("password hashing slots", () => {
  it("keep the scrypt cost from being a denial-of-service lever: bounded concurrent hashes, the rest refused at once", async () => {
    const slots = createHashSlots({ max: 2, queue: 3 });
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const work = () =>
      slots(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => gates.push(resolve));
        running--;
        return true;
      });
    const attempts = Array.from({ length: 8 }, () => work().then(() => "done", (e: { code?: string }) => e.code));
    await new Promise((r) => setTimeout(r, 10));
    // Two hashing, three waiting, three refused without waiting.
    expect(running).toBe(2);
    while (gates.length || running) {
      gates.splice(0).forEach((open) => open());
      await new Promise((r) => setTimeout(r, 1));
    }
    const results = await Promise.all(attempts);
    expect(peak).toBe(2);
    expect(results.filter((r) => r === "done")).toHaveLength(5);
    expect(results.filter((r) => r === "ERR_TOO_MANY_ATTEMPTS")).toHaveLength(3);
  });

  it("reads the client address from the last entry of the proxy's header only", () => {
    const env = { HAKI_CLIENT_ADDRESS_HEADER: "x-forwarded-for" };
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "6.6.6.6, 196.201.214.10" }), env)).toBe("196.201.214.10");
    expect(clientAddressOf(new Headers({ "x-forwarded-for": "not-an-ip" }), env)).toBeUndefined();
    expect(clientAddressOf(new Headers(), env)).toBeUndefined();
  });
});
