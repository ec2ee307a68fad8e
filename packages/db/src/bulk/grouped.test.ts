import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupTransactions } from "./grouped";
import { openSqliteBulk } from "./sqlite";
import type { BulkSql, Statement } from "./types";

describe("group-committed transactions", () => {
  const dir = mkdtempSync(join(tmpdir(), "haki-grouped-"));
  let direct: BulkSql;
  let transactions = 0;
  let sql: BulkSql;
  beforeAll(async () => {
    direct = openSqliteBulk(`file:${join(dir, "t.db")}`);
    await direct.batch([{ sql: `CREATE TABLE "T" ("id" TEXT PRIMARY KEY, "n" INTEGER NOT NULL)`, params: [] }]);
    sql = groupTransactions({ ...direct, chain: (items) => (transactions++, direct.chain(items)) });
  });
  afterAll(async () => {
    await direct.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const insert = (id: string, n: number): Statement => ({ sql: `INSERT INTO "T" ("id", "n") VALUES (?, ?) RETURNING "n"`, params: [id, n] });
  const count = async () => (await direct.query<{ c: number }>(`SELECT COUNT(*) AS "c" FROM "T"`, []))[0]!.c;

  it("commits the transactions asked for in one turn as one, each caller getting its own results and its builders its own rows", async () => {
    transactions = 0;
    const results = await Promise.all(
      [1, 2, 3].map((n) => sql.chain([insert(`a${n}`, n), (own) => insert(`b${n}`, Number(own[0]!.rows[0]!.n) * 10)])),
    );
    expect(transactions).toBe(1);
    expect(results.map((r) => r.map((s) => s.rows[0]!.n))).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
    expect(await sql.batch([{ sql: `UPDATE "T" SET "n" = "n" + 1 WHERE "id" LIKE 'a%'`, params: [] }])).toEqual([3]);
  });

  it("a transaction that fails fails alone: the group is written again one by one and the others commit", async () => {
    transactions = 0;
    const before = await count();
    const results = await Promise.allSettled([
      sql.chain([insert("c1", 1)]),
      sql.chain([
        insert("c2", 2),
        () => {
          throw new Error("refused by its builder");
        },
      ]),
      sql.chain([insert("a1", 9)]), // a primary-key clash
      sql.chain([insert("c3", 3)]),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect(transactions).toBe(5); // the group, then each alone
    expect(await count()).toBe(before + 2);
    expect(await direct.query(`SELECT "id" FROM "T" WHERE "id" IN ('c1', 'c2', 'c3') ORDER BY "id"`, [])).toEqual([{ id: "c1" }, { id: "c3" }]);
  });
});
