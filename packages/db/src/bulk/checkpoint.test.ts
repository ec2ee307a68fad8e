import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
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
      expect((await sql.query<{ c: number }>(`SELECT count(*) AS "c" FROM "B"`, []))[0]!.c).toBe(96);
    } finally {
      await sql.close();
    }
  });
});
