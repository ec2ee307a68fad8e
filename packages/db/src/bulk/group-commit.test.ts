import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit";

describe("group commit", () => {
  it("writes the items asked for in one turn together, up to the batch size, each caller getting its own result", async () => {
    const batches: number[][] = [];
    const double = groupCommit(async (batch: number[]) => {
      batches.push(batch);
      return batch.map((n) => n * 2);
    }, 3);
    expect(await Promise.all([1, 2, 3, 4, 5].map(double))).toEqual([2, 4, 6, 8, 10]);
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("a failing batch is written again one by one: only the failing item fails", async () => {
    const writes: number[][] = [];
    const write = groupCommit(async (batch: number[]) => {
      writes.push(batch);
      if (batch.includes(13)) throw new Error("conflict");
      return batch;
    }, 10);
    const results = await Promise.allSettled([12, 13, 14].map(write));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(writes).toEqual([[12, 13, 14], [12], [13], [14]]);
  });
});
