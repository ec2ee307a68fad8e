import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testProviders } from "@haki/db/testing";
import Database from "better-sqlite3";
import { createTestContext, type TestContext } from "@/test/context";
import { appendAuditEvent } from "./append-audit-event";
import { verifyAuditChain } from "./verify-audit-chain";

describe.each(testProviders())("audit log on %s", (provider) => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext(provider);
  }, 60_000);
  afterAll(() => t.close());

  it("chains events and verifies", async () => {
    for (let i = 0; i < 5; i++) {
      await t.ctx.db.$transaction((tx) => appendAuditEvent(tx, t.ctx.now(), { actorId: "u1", action: "test.event", subject: `s${i}`, details: { i } }));
    }
    const r = await verifyAuditChain(t.ctx.db, 2);
    expect(r).toMatchObject({ ok: true, count: 5 });
  });

  it("keeps one chain when many appends race", async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.ctx.db.$transaction((tx) => appendAuditEvent(tx, t.ctx.now(), { actorId: null, action: "race", subject: String(i) })),
      ),
    );
    expect(await verifyAuditChain(t.ctx.db)).toMatchObject({ ok: true, count: 13 });
  });

  it("rolls the event back with the action it records", async () => {
    await expect(
      t.ctx.db.$transaction(async (tx) => {
        await appendAuditEvent(tx, t.ctx.now(), { actorId: null, action: "doomed" });
        throw new Error("action failed");
      }),
    ).rejects.toThrow("action failed");
    expect(await t.ctx.db.auditEvent.count({ where: { action: "doomed" } })).toBe(0);
    expect(await verifyAuditChain(t.ctx.db)).toMatchObject({ ok: true, count: 13 });
  });

  it.runIf(provider === "sqlite")("detects an event altered behind the database's back", async () => {
    // Someone with file access drops the trigger and edits a row: the chain shows it.
    const file = new Database(t.database.url.replace(/^file:/, ""));
    file.exec(`DROP TRIGGER "AuditEvent_no_update"; UPDATE "AuditEvent" SET "subject" = 'forged' WHERE "seq" = 3;`);
    file.close();
    expect(await verifyAuditChain(t.ctx.db)).toMatchObject({ ok: false, brokenAt: 3, reason: "hash" });
  });
});
