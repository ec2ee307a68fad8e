import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startBackgroundCheckpoints } from "./checkpoint";
import { openSqliteBulk } from "./sqlite";

describe("WAL checkpoints in the background", () => {
  const dir = mkdtempSync(join(tmpdir(), "haki-checkpoint-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("a connection that hands them over commits without copying the WAL; the worker copies it into the file soon after", async () => {
    const file = join(dir, "t.db");
    const sql = openSqliteBulk(`file:${file}`, { backgroundCheckpoints: true });
    try {
      await sql.query(`PRAGMA journal_mode = WAL`, []);
      await sql.batch([{ sql: `CREATE TABLE "B" ("n" INTEGER PRIMARY KEY, "b" BLOB NOT NULL)`, params: [] }]);
      // 6 MiB in one commit: more than the worker's threshold (4 MiB).
      await sql.batch(Array.from({ length: 96 }, (_, n) => ({ sql: `INSERT INTO "B" ("n", "b") VALUES (?, randomblob(65536))`, params: [n] })));
      const walAfterCommit = statSync(`${file}-wal`).size;
      expect(walAfterCommit).toBeGreaterThan(6 * 1024 * 1024);
      expect(statSync(file).size).toBeLessThan(1024 * 1024); // still in the WAL
      const deadline = Date.now() + 10_000;
      while (statSync(file).size < 6 * 1024 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(statSync(file).size).toBeGreaterThan(6 * 1024 * 1024);
      // The next commit starts the WAL again from the top, in a file that keeps its size: it is
      // copied into the database too.
      expect((await sql.query<{ wal_autocheckpoint: number }>(`PRAGMA wal_autocheckpoint`, []))[0]!.wal_autocheckpoint).toBe(0);
      await sql.batch(Array.from({ length: 80 }, (_, n) => ({ sql: `INSERT INTO "B" ("n", "b") VALUES (?, randomblob(65536))`, params: [1000 + n] })));
      expect(statSync(`${file}-wal`).size).toBe(walAfterCommit);
      while (statSync(file).size < 11 * 1024 * 1024 && Date.now() < deadline + 10_000) await new Promise((r) => setTimeout(r, 50));
      expect(statSync(file).size).toBeGreaterThan(11 * 1024 * 1024);
      expect((await sql.query<{ c: number }>(`SELECT count(*) AS "c" FROM "B"`, []))[0]!.c).toBe(176);
    } finally {
      await sql.close();
    }
  });

  it("says when the worker ends, stopped or failing (the file gone before it opened it), so the connection checkpoints for itself again", async () => {
    const file = join(dir, "gone.db");
    const sql = openSqliteBulk(`file:${file}`);
    await sql.close();
    const ended: string[] = [];
    const failing = startBackgroundCheckpoints(file, { onExit: () => ended.push("failing") });
    rmSync(file);
    const deadline = Date.now() + 10_000;
    while (ended.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(ended).toEqual(["failing"]);
    await failing.stop();

    const kept = join(dir, "kept.db");
    await openSqliteBulk(`file:${kept}`).close();
    const stopped = startBackgroundCheckpoints(kept, { onExit: () => ended.push("stopped") });
    await stopped.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(ended).toEqual(["failing", "stopped"]);
  });
});
