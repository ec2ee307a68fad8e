/**
 * Per-`describe` setup for issuer tests: each helper registers its own `beforeAll` (and, for the
 * context, the `afterAll` that drops the database) and returns an object that is filled in when the
 * hook runs. Vitest runs `beforeAll` hooks one after another in the order they are registered, so
 * a later helper (or the block's own `beforeAll`) can use what an earlier one set up.
 *
 * @example
 * describe.each(testProviders())("status changes on %s", (provider) => {
 *   const t = useTestContext(provider);
 *   const fx = useIssuedCycle(t, 3);
 *   it("...", async () => { await changeStatus(t.ctx, ...fx.entitlements) });
 * });
 */
import { afterAll, beforeAll } from "vitest";
import type { DbProvider } from "@haki/db";
import type { Role } from "@/server/auth/roles";
import { createTestContext, createTestUser, type TestContext } from "./context";
import { createIssuedCycle } from "./fixtures";
import { createConsoleWorld, type ConsoleWorld } from "./console-world";

export type IssuedCycle = Awaited<ReturnType<typeof createIssuedCycle>>;
export type TestUser = Awaited<ReturnType<typeof createTestUser>>;

/** Fills `target` with what `make` returns, in a `beforeAll` of the current block. */
function filledBeforeAll<T extends object>(make: () => Promise<T>): T {
  const target = {} as T;
  beforeAll(async () => {
    Object.assign(target, await make());
  });
  return target;
}

/** A throwaway database and server context for the block (see `createTestContext`), closed after it. */
export function useTestContext(provider?: DbProvider, overrides?: Parameters<typeof createTestContext>[1]): TestContext {
  const t = filledBeforeAll(() => createTestContext(provider, overrides));
  afterAll(() => t.close());
  return t;
}

/** A small issued cycle (see `createIssuedCycle`) on the block's context. */
export function useIssuedCycle(t: TestContext, people?: number): IssuedCycle {
  return filledBeforeAll(() => createIssuedCycle(t.ctx, people));
}

/** A signed-in user with `roles` (see `createTestUser`) on the block's context. */
export function useTestUser(t: TestContext, roles: Role[]): TestUser {
  return filledBeforeAll(() => createTestUser(t.ctx, roles));
}

/** The console's world of programmes, cycles and people (see `createConsoleWorld`) on the block's context. */
export function useConsoleWorld(t: TestContext): ConsoleWorld {
  return filledBeforeAll(() => createConsoleWorld(t.ctx));
}
