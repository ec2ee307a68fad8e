import { describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { testProviders } from "@haki/db/testing";
import Database from "better-sqlite3";
import pg from "pg";
import { type TestContext } from "@/test/context";
import { sha256Hex, hmacHex } from "@/server/lib/hash";
import { appendAuditEvent, auditHashInput, GENESIS_HASH } from "./append-audit-event";
import { verifyAuditChain } from "./verify-audit-chain";
import { keyAuditChain } from "./key-audit-chain";
import { useTestContext } from "@/test/suite";

/** Runs SQL straight on the database file or server, as someone with write access would. */
async function behindTheDatabasesBack(t: TestContext, provider: string, statements: string[]): Promise<void> {
  if (provider === "sqlite") {
    const file = new Database(t.database.url.replace(/^file:/, ""));
    try {
      for (const s of statements) file.exec(s);
    } finally {
      file.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: t.database.url });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

type Row = { seq: number; at: Date; actorId: string | null; action: string; subject: string | null; details: string; prevHash: string; hash: string; alg: string };

/** Edits one event and recomputes every hash after it with `hashOf`, in SQL. */
async function rechain(t: TestContext, provider: string, edit: { seq: number; subject: string }, hashOf: (prev: string, e: Row) => string, alg: (e: Row) => string): Promise<void> {
  const rows = (await t.ctx.db.auditEvent.findMany({ orderBy: { seq: "asc" } })) as Row[];
  let prev = GENESIS_HASH;
  const q = (v: string) => `'${v.replaceAll("'", "''")}'`;
  const updates: string[] = [];
  for (const r of rows) {
    const e = r.seq === edit.seq ? { ...r, subject: edit.subject } : r;
    const hash = hashOf(prev, e);
    updates.push(`UPDATE "AuditEvent" SET "subject" = ${e.subject === null ? "NULL" : q(e.subject)}, "prevHash" = ${q(prev)}, "hash" = ${q(hash)}, "alg" = ${q(alg(e))} WHERE "seq" = ${r.seq}`);
    prev = hash;
  }
  // Unique hashes: move every row aside first, then write the new chain.
  const aside = rows.map((r) => `UPDATE "AuditEvent" SET "prevHash" = 'x${r.seq}', "hash" = 'y${r.seq}' WHERE "seq" = ${r.seq}`);
  const off = provider === "sqlite" ? [`DROP TRIGGER IF EXISTS "AuditEvent_no_update"`] : [`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`];
  await behindTheDatabasesBack(t, provider, [...off, ...aside, ...updates]);
}

describe.each(testProviders())("audit log on %s", (provider) => {
  const t = useTestContext(provider);

  it("chains events with the audit key and verifies", async () => {
    for (let i = 0; i < 5; i++) {
      await t.ctx.db.$transaction((tx) => appendAuditEvent(tx, t.ctx, { actorId: "u1", action: "test.event", subject: `s${i}`, details: { i } }));
    }
    const r = await verifyAuditChain(t.ctx.db, t.ctx.auditKey, 2);
    expect(r).toMatchObject({ ok: true, count: 5 });
    const first = await t.ctx.db.auditEvent.findUniqueOrThrow({ where: { seq: 1 } });
    expect(first.alg).toBe("hmac-sha256");
    // Keyed: the plain SHA-256 of the event is not its hash, and another key does not verify it.
    expect(first.hash).not.toBe(sha256Hex(auditHashInput(GENESIS_HASH, first)));
    expect(await verifyAuditChain(t.ctx.db, randomBytes(32))).toMatchObject({ ok: false, brokenAt: 1, reason: "hash" });
  });

  it("keeps one chain when many appends race", async () => {
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.ctx.db.$transaction((tx) => appendAuditEvent(tx, t.ctx, { actorId: null, action: "race", subject: String(i) })),
      ),
    );
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true, count: 13 });
  });

  it("rolls the event back with the action it records", async () => {
    await expect(
      t.ctx.db.$transaction(async (tx) => {
        await appendAuditEvent(tx, t.ctx, { actorId: null, action: "doomed" });
        throw new Error("action failed");
      }),
    ).rejects.toThrow("action failed");
    expect(await t.ctx.db.auditEvent.count({ where: { action: "doomed" } })).toBe(0);
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true, count: 13 });
  });

  it("detects an event altered behind the database's back", async () => {
    const off = provider === "sqlite" ? [`DROP TRIGGER IF EXISTS "AuditEvent_no_update"`] : [`ALTER TABLE "AuditEvent" DISABLE TRIGGER USER`];
    await behindTheDatabasesBack(t, provider, [...off, `UPDATE "AuditEvent" SET "subject" = 'forged' WHERE "seq" = 3`]);
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: false, brokenAt: 3, reason: "hash" });
  });

  it("audit chain keyed: detects a log edited and re-chained behind the database's back (unkeyed or with a guessed key)", async () => {
    // The SHA-256 chain an attacker without the key can compute: passed off as written before keying.
    await rechain(t, provider, { seq: 3, subject: "re-chained" }, (prev, e) => sha256Hex(auditHashInput(prev, e)), () => "sha256");
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: false, reason: "unkeyed" });
    // The same with the keyed label but a key of the attacker's choosing.
    const guessed = randomBytes(32);
    await rechain(t, provider, { seq: 3, subject: "re-chained" }, (prev, e) => hmacHex(guessed, auditHashInput(prev, e)), () => "hmac-sha256");
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: false, brokenAt: 1, reason: "hash" });
    // Only the key makes a chain that verifies (what the issuer itself writes).
    await rechain(t, provider, { seq: 3, subject: "s2" }, (prev, e) => hmacHex(t.ctx.auditKey, auditHashInput(prev, e)), () => "hmac-sha256");
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true, count: 13 });
  });
});

describe.each(testProviders())("audit log written before the chain was keyed, on %s", (provider) => {
  const t = useTestContext(provider);

  it("keys an existing log once, then detects a re-chained old event", async () => {
    // Four events as the previous version wrote them (SHA-256 chain, alg "sha256").
    let prev = GENESIS_HASH;
    const at = t.ctx.now();
    for (let seq = 1; seq <= 4; seq++) {
      const row = { seq, at, actorId: null, action: "legacy.event", subject: `old-${seq}`, details: "{}" };
      const hash = sha256Hex(auditHashInput(prev, row));
      await t.ctx.db.auditEvent.create({ data: { ...row, prevHash: prev, hash, alg: "sha256" } });
      prev = hash;
    }
    await t.ctx.db.counter.update({ where: { name: "audit" }, data: { value: 4 } });
    // Not keyed yet: the log ends unkeyed.
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: false, reason: "unkeyed" });
    expect(await keyAuditChain(t.ctx.db, t.ctx)).toEqual({ keyed: true, after: 4 });
    expect(await keyAuditChain(t.ctx.db, t.ctx)).toEqual({ keyed: false });
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: true, count: 5 });
    // Re-chaining an old event changes the last old hash, which the first keyed event's MAC covers.
    await rechain(t, provider, { seq: 2, subject: "forged" }, (p, e) => (e.alg === "sha256" ? sha256Hex(auditHashInput(p, e)) : e.hash), (e) => e.alg);
    expect(await verifyAuditChain(t.ctx.db, t.ctx.auditKey)).toMatchObject({ ok: false, brokenAt: 5, reason: "hash" });
  });
});
